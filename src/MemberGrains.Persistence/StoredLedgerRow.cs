namespace MemberGrains.Persistence;

/// <summary>One row of points_ledger as read back; <see cref="OfferId"/> names the offer of an offer's bonus points (kind Offer, or the clawback of them).</summary>
public sealed record StoredLedgerRow(
    long Seq,
    DateTimeOffset OccurredAt,
    string Kind,
    long Points,
    long BalanceAfter,
    string RequestId,
    string StoreId,
    int ProgramVersion,
    string? OfferId = null);
