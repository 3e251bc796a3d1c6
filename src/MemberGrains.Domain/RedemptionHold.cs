using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>Points set aside at a till between tender and payment.</summary>
public sealed class RedemptionHold
{
    [JsonPropertyName("holdId")]
    public string HoldId { get; set; } = string.Empty;

    /// <summary>The reserve request that opened the hold.</summary>
    [JsonPropertyName("requestId")]
    public string RequestId { get; set; } = string.Empty;

    [JsonPropertyName("points")]
    public long Points { get; set; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An open hold past this instant no longer holds points and can't be captured.</summary>
    [JsonPropertyName("expiresAt")]
    public DateTimeOffset ExpiresAt { get; set; }

    [JsonPropertyName("status")]
    public HoldStatus Status { get; set; }

    /// <summary>When the hold was captured, released or found expired.</summary>
    [JsonPropertyName("closedAt")]
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Risk flags that sent the redemption for review: capture needs a staff approval.</summary>
    [JsonPropertyName("reviewReasons")]
    public List<string> ReviewReasons { get; set; } = [];

    /// <summary>The staff member who approved a reviewed hold at capture.</summary>
    [JsonPropertyName("approvedBy")]
    public string? ApprovedBy { get; set; }

    /// <summary>What the held points pay at the till, in fen.</summary>
    [JsonPropertyName("valueFen")]
    public long ValueFen { get; set; }

    [JsonPropertyName("storeId")]
    public string StoreId { get; set; } = string.Empty;

    [JsonPropertyName("terminalId")]
    public string TerminalId { get; set; } = string.Empty;

    /// <summary>True while the hold still sets points aside at <paramref name="now"/>.</summary>
    public bool HoldsAt(DateTimeOffset now) => Status == HoldStatus.Open && now < ExpiresAt;
}
