namespace MemberGrains.Domain.Tests.Replay;

/// <summary>A customer's counters computed straight from the file (UK wall-clock times, pence).</summary>
internal sealed record ExpectedMember(
    string CustomerId,
    int PurchaseCount,
    DateTime FirstPurchase,
    DateTime LastPurchase,
    long LifetimeNetFen,
    int RecencyDays,
    int Frequency,
    long MonetaryFen);
