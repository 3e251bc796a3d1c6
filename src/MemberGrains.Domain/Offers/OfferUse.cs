namespace MemberGrains.Domain.Offers;

/// <summary>
/// A use of an offer (or the give-back of one), written by the store in the same transaction as the
/// member change that caused it, like a ledger row. Member-agnostic: the store adds the member.
/// </summary>
/// <param name="OfferId">The offer whose use (and budget) this is.</param>
/// <param name="RequestId">The request that used it (a purchase, an activity …) or gave it back (a refund).</param>
/// <param name="BudgetUnits">Budget units taken (negative: given back); 0 when the offer has no budget.</param>
/// <param name="BudgetToken">The token <see cref="IOfferBudget.Take"/> returned (on a give-back: the one of the take it returns).</param>
/// <param name="DiscountFen">Discount given (negative: given back).</param>
/// <param name="BonusPoints">Bonus points given (negative: taken back).</param>
/// <param name="GiveBack">True for a give-back row (refunds), whose amounts are negative.</param>
/// <param name="At">When.</param>
/// <param name="CouponId">The wallet coupon used or issued, if any.</param>
public sealed record OfferUse(
    string OfferId,
    string RequestId,
    long BudgetUnits,
    string? BudgetToken,
    long DiscountFen,
    long BonusPoints,
    bool GiveBack,
    DateTimeOffset At,
    string? CouponId = null);
