using System.Text.Json.Serialization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>An offer that does not apply to a basket, and why.</summary>
/// <param name="OfferId">The offer (for a coupon nobody knows: empty).</param>
/// <param name="Kind">What it would give.</param>
/// <param name="Code">One of <see cref="OfferCodes"/>.</param>
/// <param name="Detail">The reason in words, for staff.</param>
/// <param name="CouponId">The wallet coupon concerned, if any.</param>
public sealed record OfferDecision([property: JsonPropertyName("offerId")] string OfferId, [property: JsonPropertyName("kind")] OfferKind Kind, [property: JsonPropertyName("code")] string Code, [property: JsonPropertyName("detail")] string Detail, [property: JsonPropertyName("couponId")] string? CouponId = null);
