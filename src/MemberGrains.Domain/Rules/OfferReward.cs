namespace MemberGrains.Domain.Rules;

/// <summary>What an offer gives; which fields are used depends on its <see cref="Offer.Kind"/> (see docs/program.md).</summary>
public sealed record OfferReward
{
    /// <summary>amountOff: spend steps, lowest first; the highest step the spend reaches applies.</summary>
    public IReadOnlyList<AmountStep>? Steps { get; init; }

    /// <summary>percentOff: percent off the covered lines (above 0, at most 100).</summary>
    public decimal? Percent { get; init; }

    /// <summary>buyXGetY: units bought per application (with <see cref="FreeQuantity"/>: paid units per group).</summary>
    public int? BuyQuantity { get; init; }

    /// <summary>buyXGetY: units free per group of <see cref="BuyQuantity"/> + this many (the cheapest covered units).</summary>
    public int? FreeQuantity { get; init; }

    /// <summary>buyXGetY: the gift handed over per application, when it is not free units.</summary>
    public LocalizedText? Gift { get; init; }

    /// <summary>pointsMultiplier: the rate points times this (2: double points); the extra is the offer's bonus.</summary>
    public decimal? Multiplier { get; init; }

    /// <summary>bonusPoints: points given.</summary>
    public long? Points { get; init; }

    /// <summary>coupon: the id of the wallet coupon template issued.</summary>
    public string? CouponOfferId { get; init; }

    /// <summary>Estimated value to the member in fen, for ranking on screens (gifts, percentages); left out: estimated from the reward.</summary>
    public long? ValueFen { get; init; }
}
