namespace MemberGrains.Domain;

/// <summary>One point movement, appended to the ledger atomically with the member's state.</summary>
/// <param name="Seq">Member-local sequence number, gap-free from 1.</param>
/// <param name="RequestId">The request that caused it (for expiry: the request during which it was noticed).</param>
/// <param name="Kind">Why the points moved.</param>
/// <param name="Points">Signed movement: positive in, negative out.</param>
/// <param name="BalanceAfter">Balance right after this movement.</param>
/// <param name="ProgramVersion">Program version that decided it.</param>
/// <param name="StoreId">Store of the request, empty when none.</param>
/// <param name="TerminalId">Terminal of the request, empty when none.</param>
/// <param name="At">When it happened.</param>
/// <param name="OfferId">The offer whose bonus points these are (an offer row, or the clawback of one), else null.</param>
public sealed record LedgerEntry(
    long Seq,
    string RequestId,
    LedgerKind Kind,
    long Points,
    long BalanceAfter,
    int ProgramVersion,
    string StoreId,
    string TerminalId,
    DateTimeOffset At,
    string? OfferId = null);
