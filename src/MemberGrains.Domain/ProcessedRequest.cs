using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>A request id this member has answered, with the answer, for idempotent retries.</summary>
public sealed class ProcessedRequest
{
    [JsonPropertyName("requestId")]
    public string RequestId { get; set; } = string.Empty;

    /// <summary>Fingerprint of the request's payload.</summary>
    [JsonPropertyName("fingerprint")]
    public string Fingerprint { get; set; } = string.Empty;

    [JsonPropertyName("receipt")]
    public Receipt Receipt { get; set; } = null!;

    /// <summary>Member-local answer number: the oldest answers are forgotten first.</summary>
    [JsonPropertyName("order")]
    public long Order { get; set; }
}
