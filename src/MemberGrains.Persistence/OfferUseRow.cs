namespace MemberGrains.Persistence;

/// <summary>
/// One offer applied by a member change (or given back by a refund), written to <c>offer_use</c>
/// in the same transaction as the change. Amounts are magnitudes (never negative); a give-back
/// returns its <see cref="Amount"/> to the campaign. One use and one give-back per request and
/// offer: several applications of an offer in one basket are one row with their sum.
/// </summary>
public sealed record OfferUseRow
{
    public required string OfferId { get; init; }

    /// <summary>The request that applied (or gave back) the offer.</summary>
    public required string RequestId { get; init; }

    /// <summary>
    /// The lease the budget came from (the token <c>IOfferBudget.Take</c> returned, see
    /// <see cref="OfferLeaseToken"/>); null for an offer without a budget. A use naming a lease
    /// that is closed by the time it commits fails the write with <see cref="OfferLeaseClosedException"/>.
    /// </summary>
    public long? LeaseId { get; init; }

    /// <summary>Budget units taken (given back), in the budget's unit; 0 for an offer without a budget.</summary>
    public required long Amount { get; init; }

    public long DiscountFen { get; init; }

    public long BonusPoints { get; init; }

    /// <summary>A refund handing an earlier use back (its amount goes back to the campaign).</summary>
    public bool GiveBack { get; init; }

    /// <summary>When the till said the purchase (or refund) happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
}
