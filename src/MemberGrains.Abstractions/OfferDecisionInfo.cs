namespace MemberGrains.Abstractions;

/// <summary>An offer (or a presented coupon) that does not apply to a basket, and why (see point_of_sale.proto, OfferDecision).</summary>
[GenerateSerializer, Immutable, Alias("membergrains.OfferDecisionInfo")]
public sealed record OfferDecisionInfo
{
    /// <summary>The offer; empty for a coupon nobody knows.</summary>
    [Id(0)] public string OfferId { get; init; } = string.Empty;

    [Id(1)] public string Kind { get; init; } = string.Empty;

    /// <summary>NOT_TARGETED, NOT_STARTED, EXPIRED, OUTSIDE_TIME_WINDOW, LIMIT_REACHED, BUDGET_EXHAUSTED, BASKET_CONDITION, NO_CONSENT, EXCLUDED_BY_STACKING, COUPON_NOT_HELD, COUPON_USED, COUPON_NOT_PRESENTED.</summary>
    [Id(2)] public required string Code { get; init; }

    /// <summary>The reason in words, for staff.</summary>
    [Id(3)] public string Detail { get; init; } = string.Empty;

    [Id(4)] public string? CouponId { get; init; }
}
