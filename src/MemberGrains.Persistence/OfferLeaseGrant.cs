namespace MemberGrains.Persistence;

/// <summary>What a lease request got.</summary>
/// <param name="LeaseId">The lease granted, or null: less than asked for is available, or the offer has no budget.</param>
/// <param name="Amount">Units granted (0 without a lease).</param>
/// <param name="ExpiresAt">When the lease expires (null without a lease).</param>
/// <param name="Available">What is left to grant after this one; null when the offer has no budget.</param>
/// <param name="Total">The budget's total; null when the offer has no budget.</param>
/// <param name="Unit">The budget's unit; null when the offer has no budget.</param>
/// <param name="Revision">The budget's revision these figures are as of (see <see cref="OfferBudgetStatus.Revision"/>); null when the offer has no budget.</param>
public sealed record OfferLeaseGrant(long? LeaseId, long Amount, DateTimeOffset? ExpiresAt, long? Available, long? Total, OfferBudgetUnit? Unit, long? Revision);
