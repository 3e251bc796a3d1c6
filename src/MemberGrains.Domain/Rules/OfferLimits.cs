namespace MemberGrains.Domain.Rules;

/// <summary>How often an offer applies.</summary>
public sealed record OfferLimits
{
    /// <summary>Uses per member per <see cref="Period"/> (a use: a basket the offer applied to, or a coupon issued).</summary>
    public int? PerMember { get; init; }

    /// <summary>The period <see cref="PerMember"/> counts over; left out: lifetime.</summary>
    public LimitPeriod? Period { get; init; }

    /// <summary>Applications per basket: groups of a buyXGetY offer, coupons of one template; left out: 1.</summary>
    public int? PerBasket { get; init; }
}
