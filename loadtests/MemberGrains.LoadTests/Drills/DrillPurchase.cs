namespace MemberGrains.LoadTests.Drills;

/// <summary>An acknowledged Accrue a refund may name later.</summary>
internal sealed class DrillPurchase(string requestId, long totalFen)
{
    public string RequestId { get; } = requestId;

    public long TotalFen { get; } = totalFen;

    /// <summary>A refund of it was sent (acknowledged, refused or of unknown outcome): it is never refunded again.</summary>
    public bool RefundSent { get; set; }
}
