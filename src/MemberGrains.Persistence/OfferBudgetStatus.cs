namespace MemberGrains.Persistence;

/// <summary>An offer's budget as committed in Postgres.</summary>
/// <param name="Unit">What the budget counts.</param>
/// <param name="Total">The total from the program.</param>
/// <param name="Available">What can still be granted: total minus what closed leases used, minus what open leases hold, plus what refunds gave back.</param>
/// <param name="Held">What open leases hold (used or not yet).</param>
/// <param name="Spent">Net units used: closed leases' uses, open leases' uses so far, minus give-backs.</param>
/// <param name="OpenLeases">Leases not yet closed.</param>
/// <param name="Revision">Counts the changes of what is available (grants, closes, totals): of two answers, the one with the higher revision is newer.</param>
public sealed record OfferBudgetStatus(OfferBudgetUnit Unit, long Total, long Available, long Held, long Spent, int OpenLeases, long Revision);
