namespace MemberGrains.Domain;

/// <summary>A dry run of a checkout: nothing changes.</summary>
/// <param name="Earning">What the basket would earn if paid now.</param>
/// <param name="Available">Points redeemable now.</param>
/// <param name="MaxRedeemablePoints">The most points that could pay for this basket (valid amount, within the basket share).</param>
/// <param name="MaxRedeemableValueFen">What those points pay, in fen.</param>
/// <param name="RedeemPoints">The points the till asked about (0: none).</param>
/// <param name="RedeemValueFen">What they would pay, in fen.</param>
/// <param name="CashDueFen">Basket minus the points' value.</param>
/// <param name="Decision">What a reservation of the asked points (or the maximum, when none asked) would be decided.</param>
/// <param name="Reasons">Why, when not approved; or why the asked points are not a valid redemption.</param>
/// <param name="TierDiscountPercent">The member's tier discount.</param>
/// <param name="ProgramVersion">Program that decided.</param>
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
    int ProgramVersion);
