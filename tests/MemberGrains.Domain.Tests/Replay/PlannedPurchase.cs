namespace MemberGrains.Domain.Tests.Replay;

/// <summary>One invoice replayed as a purchase of <paramref name="CustomerId"/> at <paramref name="LocalTime"/> (UK wall clock).</summary>
internal sealed record PlannedPurchase(string CustomerId, string InvoiceNo, DateTime LocalTime, IReadOnlyList<PlannedLine> Lines)
{
    public long TotalFen { get; } = Lines.Sum(l => l.AmountFen);
}
