namespace MemberGrains.Domain;

/// <summary>Points set aside at a till between tender and payment.</summary>
public sealed class RedemptionHold
{
    public string HoldId { get; set; } = string.Empty;

    /// <summary>The reserve request that opened the hold.</summary>
    public string RequestId { get; set; } = string.Empty;

    public long Points { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>An open hold past this instant no longer holds points and can't be captured.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public HoldStatus Status { get; set; }

    /// <summary>When the hold was captured, released or found expired.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Risk flags that sent the redemption for review: capture needs a staff approval.</summary>
    public List<string> ReviewReasons { get; set; } = [];

    /// <summary>The staff member who approved a reviewed hold at capture.</summary>
    public string? ApprovedBy { get; set; }

    /// <summary>What the held points pay at the till, in fen.</summary>
    public long ValueFen { get; set; }

    public string StoreId { get; set; } = string.Empty;

    public string TerminalId { get; set; } = string.Empty;

    /// <summary>True while the hold still sets points aside at <paramref name="now"/>.</summary>
    public bool HoldsAt(DateTimeOffset now) => Status == HoldStatus.Open && now < ExpiresAt;
}
