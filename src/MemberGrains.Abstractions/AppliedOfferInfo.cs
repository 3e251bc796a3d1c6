namespace MemberGrains.Abstractions;

/// <summary>An offer that applies (quote) or applied (receipt) to a basket, in stacking order (see point_of_sale.proto, AppliedOffer).</summary>
[GenerateSerializer, Immutable, Alias("membergrains.AppliedOfferInfo")]
public sealed record AppliedOfferInfo
{
    [Id(0)] public required string OfferId { get; init; }

    /// <summary>AMOUNT_OFF, PERCENT_OFF, BUY_X_GET_Y, POINTS_MULTIPLIER, BONUS_POINTS or COUPON.</summary>
    [Id(1)] public required string Kind { get; init; }

    [Id(2)] public required LocalizedTextInfo Title { get; init; }

    [Id(3)] public long DiscountFen { get; init; }

    [Id(4)] public long BonusPoints { get; init; }

    /// <summary>For a points multiplier: the multiplier; 1 otherwise.</summary>
    [Id(5)] public decimal Multiplier { get; init; } = 1;

    /// <summary>For a gift: what to hand over, <see cref="Applications"/> times.</summary>
    [Id(6)] public LocalizedTextInfo? Gift { get; init; }

    [Id(7)] public int Applications { get; init; } = 1;

    /// <summary>The wallet coupon used for it.</summary>
    [Id(8)] public string? CouponId { get; init; }

    /// <summary>A coupon offer: the coupon issued to the member's wallet (receipts only).</summary>
    [Id(9)] public string? IssuedCouponId { get; init; }
}
