namespace MemberGrains.Domain;

/// <summary>A completed purchase kept for refunds and for recognising its retries.</summary>
public sealed class PurchaseRecord
{
    public string RequestId { get; set; } = string.Empty;

    public string StoreId { get; set; } = string.Empty;

    public string TerminalId { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public long TotalFen { get; set; }

    /// <summary>Sum of all refunds against this purchase so far.</summary>
    public long RefundedFen { get; set; }

    /// <summary>Points the purchase earned when it was made.</summary>
    public long PointsEarned { get; set; }

    /// <summary>Points taken back by refunds so far.</summary>
    public long PointsTakenBack { get; set; }

    /// <summary>Fingerprint of the accrue request, to tell a retry from a reused id.</summary>
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>The answer the accrual gave, returned again to a retry.</summary>
    public Receipt Receipt { get; set; } = null!;
}
