namespace MemberGrains.Persistence;

/// <summary>One row of points_ledger as read back.</summary>
public sealed record StoredLedgerRow(
    long Seq,
    DateTimeOffset OccurredAt,
    string Kind,
    long Points,
    long BalanceAfter,
    string RequestId,
    string StoreId,
    int ProgramVersion);
