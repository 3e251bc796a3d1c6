using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>A risk flag raised by an event (daily cap, velocity), kept until it lapses.</summary>
public sealed class RiskFlag
{
    /// <summary>One of <see cref="RiskCodes"/>.</summary>
    [JsonPropertyName("code")]
    public string Code { get; set; } = string.Empty;

    [JsonPropertyName("raisedAt")]
    public DateTimeOffset RaisedAt { get; set; }

    [JsonPropertyName("expiresAt")]
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>What raised it, for staff.</summary>
    [JsonPropertyName("detail")]
    public string Detail { get; set; } = string.Empty;
}
