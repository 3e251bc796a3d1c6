using System.Text.Json.Serialization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>An offer that applies to (or, in a receipt, applied to) a basket, in the order offers stack.</summary>
/// <param name="OfferId">The offer (for a wallet coupon: its template).</param>
/// <param name="Kind">What it gives.</param>
/// <param name="Title">Its name for receipts.</param>
/// <param name="DiscountFen">Money off, in fen.</param>
/// <param name="BonusPoints">Extra points, booked as their own ledger row.</param>
/// <param name="Multiplier">pointsMultiplier: the multiplier (1 otherwise).</param>
/// <param name="Gift">buyXGetY with a gift: what to hand over, <paramref name="Applications"/> times.</param>
/// <param name="Applications">How many times it applies in the basket (buyXGetY groups; 1 otherwise).</param>
/// <param name="CouponId">The wallet coupon used for it.</param>
/// <param name="IssuedCouponId">A coupon offer: the coupon issued to the wallet (null in quotes).</param>
public sealed record AppliedOffer(
    [property: JsonPropertyName("offerId")] string OfferId,
    [property: JsonPropertyName("kind")] OfferKind Kind,
    [property: JsonPropertyName("title")] LocalizedText Title,
    [property: JsonPropertyName("discountFen")] long DiscountFen,
    [property: JsonPropertyName("bonusPoints")] long BonusPoints,
    [property: JsonPropertyName("multiplier")] decimal Multiplier,
    [property: JsonPropertyName("gift")] LocalizedText? Gift,
    [property: JsonPropertyName("applications")] int Applications,
    [property: JsonPropertyName("couponId")] string? CouponId = null,
    [property: JsonPropertyName("issuedCouponId")] string? IssuedCouponId = null);
