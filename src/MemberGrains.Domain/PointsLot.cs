using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>Points earned together, spent oldest-expiry first and expiring together.</summary>
public sealed class PointsLot
{
    /// <summary>Member-local lot number, increasing.</summary>
    [JsonPropertyName("id")]
    public long Id { get; set; }

    /// <summary>When the points were earned.</summary>
    [JsonPropertyName("earnedAt")]
    public DateTimeOffset EarnedAt { get; set; }

    /// <summary>The instant the remaining points expire.</summary>
    [JsonPropertyName("expiresAt")]
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Until then the points are pending (counted in the balance, not redeemable): the return window.</summary>
    [JsonPropertyName("availableAt")]
    public DateTimeOffset AvailableAt { get; set; }

    /// <summary>Points the lot started with.</summary>
    [JsonPropertyName("points")]
    public long Points { get; set; }

    /// <summary>Points still unspent.</summary>
    [JsonPropertyName("remaining")]
    public long Remaining { get; set; }

    /// <summary>The request that created the lot (a purchase, an enrolment).</summary>
    [JsonPropertyName("sourceRequestId")]
    public string SourceRequestId { get; set; } = string.Empty;
}
