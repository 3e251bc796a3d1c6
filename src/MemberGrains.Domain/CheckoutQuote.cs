using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain;

/// <summary>A dry run of a checkout: nothing changes.</summary>
/// <param name="Earning">What the basket would earn if paid now (on the amount paid after offer discounts).</param>
/// <param name="Available">Points redeemable now.</param>
/// <param name="MaxRedeemablePoints">The most points that could pay for this basket after offer discounts (valid amount, within the basket share).</param>
/// <param name="MaxRedeemableValueFen">What those points pay, in fen.</param>
/// <param name="RedeemPoints">The points the till asked about (0: none).</param>
/// <param name="RedeemValueFen">What they would pay, in fen.</param>
/// <param name="CashDueFen">Basket minus the points' value (offer discounts not deducted: see <paramref name="CashDueAfterDiscountsFen"/>).</param>
/// <param name="Decision">What a reservation of the asked points (or the maximum, when none asked) would be decided.</param>
/// <param name="Reasons">Why, when not approved; or why the asked points are not a valid redemption.</param>
/// <param name="TierDiscountPercent">The member's tier discount.</param>
/// <param name="ProgramVersion">Program that decided.</param>
/// <param name="Offers">The offers that apply, in the order they stack, with the discount or points each gives.</param>
/// <param name="OfferDecisions">The offers that don't apply, each with a reason code and a sentence.</param>
/// <param name="DiscountFen">The offers' discounts together, in fen.</param>
/// <param name="OfferBonusPoints">The offers' bonus points together (on top of <paramref name="Earning"/>).</param>
/// <param name="CashDueAfterDiscountsFen">Basket minus offer discounts minus the points' value.</param>
public sealed record CheckoutQuote(
    EarnBreakdown Earning,
    long Available,
    long MaxRedeemablePoints,
    long MaxRedeemableValueFen,
    long RedeemPoints,
    long RedeemValueFen,
    long CashDueFen,
    RedemptionDecision Decision,
    IReadOnlyList<string> Reasons,
    decimal TierDiscountPercent,
    int ProgramVersion,
    IReadOnlyList<AppliedOffer>? Offers = null,
    IReadOnlyList<OfferDecision>? OfferDecisions = null,
    long DiscountFen = 0,
    long OfferBonusPoints = 0,
    long CashDueAfterDiscountsFen = 0)
{
    /// <summary>Everything the basket would earn: <see cref="Earning"/> plus the offers' bonus points.</summary>
    public long PointsToEarn => Earning.Points + OfferBonusPoints;
}
