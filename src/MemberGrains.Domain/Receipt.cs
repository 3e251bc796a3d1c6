using System.Text.Json.Serialization;
using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain;

/// <summary>The answer to one POS mutation; a retry of the same request gets the same receipt.</summary>
/// <param name="RequestId">The request answered.</param>
/// <param name="Operation">Which mutation it was.</param>
/// <param name="Points">Points moved: earned (accrue, enrol, activity), held (reserve), redeemed (capture), released, or taken back (refund). Never negative.</param>
/// <param name="Balance">Balance after the operation (may be negative after a refund of spent points).</param>
/// <param name="Available">Points redeemable after the operation: balance minus open holds and pending points.</param>
/// <param name="HoldId">The hold concerned, for reserve/capture/release.</param>
/// <param name="HoldExpiresAt">When the hold lapses, for reserve.</param>
/// <param name="ProgramVersion">Version of the loyalty program that decided.</param>
/// <param name="At">When the operation was applied.</param>
/// <param name="Earning">How an accrual's points were computed.</param>
/// <param name="Decision">For reserve: approved, or held for staff review.</param>
/// <param name="Reasons">Risk reason codes behind a review.</param>
/// <param name="ValueFen">For reserve and capture: what the points pay at the till, in fen.</param>
/// <param name="OccurredAt">When the till said it happened (accrue, refund, activity sent with occurred_at); null when it was applied as it happened.</param>
/// <param name="Offers">For accrue: the offers applied, in the order they stacked (null: none).</param>
/// <param name="DiscountFen">For accrue: the offers' discounts together, in fen.</param>
/// <param name="CashDueAfterDiscountsFen">For accrue: what the member pays, the basket less <paramref name="DiscountFen"/> (what earned, and what refunds give back).</param>
/// <param name="OfferDecisions">For accrue: presented coupons that did not apply, and why (null: none).</param>
/// <param name="CouponsIssued">Wallet coupons this operation issued (a coupon offer at the till, a referral count, a birthday week …; null: none).</param>
public sealed record Receipt(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("operation")] OperationKind Operation,
    [property: JsonPropertyName("points")] long Points,
    [property: JsonPropertyName("balance")] long Balance,
    [property: JsonPropertyName("available")] long Available,
    [property: JsonPropertyName("holdId")] string? HoldId,
    [property: JsonPropertyName("holdExpiresAt")] DateTimeOffset? HoldExpiresAt,
    [property: JsonPropertyName("programVersion")] int ProgramVersion,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("earning")] EarnBreakdown? Earning = null,
    [property: JsonPropertyName("decision")] RedemptionDecision Decision = RedemptionDecision.Approve,
    [property: JsonPropertyName("reasons")] IReadOnlyList<string>? Reasons = null,
    [property: JsonPropertyName("valueFen")] long ValueFen = 0,
    [property: JsonPropertyName("occurredAt")] DateTimeOffset? OccurredAt = null,
    [property: JsonPropertyName("offers")] IReadOnlyList<AppliedOffer>? Offers = null,
    [property: JsonPropertyName("discountFen")] long DiscountFen = 0,
    [property: JsonPropertyName("cashDueAfterDiscountsFen")] long CashDueAfterDiscountsFen = 0,
    [property: JsonPropertyName("offerDecisions")] IReadOnlyList<OfferDecision>? OfferDecisions = null,
    [property: JsonPropertyName("couponsIssued")] IReadOnlyList<string>? CouponsIssued = null);
