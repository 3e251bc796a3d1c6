namespace MemberGrains.Abstractions;

/// <summary>How a purchase's points were (or would be) computed.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.EarningDetails")]
public sealed record EarningDetails
{
    /// <summary>Spend that earned: the basket, up to the room left under the daily cap, in fen.</summary>
    [Id(0)] public long EligibleFen { get; init; }
    /// <summary>Points per currency unit of the bracket the eligible spend fell in.</summary>
    [Id(1)] public decimal PointsPerUnit { get; init; }
    [Id(2)] public decimal TierMultiplier { get; init; }
    /// <summary>1 outside the birthday period.</summary>
    [Id(3)] public decimal BirthdayMultiplier { get; init; }
    /// <summary>Campaigns that multiplied at least one line.</summary>
    [Id(4)] public IReadOnlyList<string> Campaigns { get; init; } = [];
    /// <summary>Points from the rate, after every multiplier.</summary>
    [Id(5)] public long RatePoints { get; init; }
    /// <summary>Threshold bonus (never multiplied).</summary>
    [Id(6)] public long BonusPoints { get; init; }
    /// <summary>This purchase reached the daily earning cap.</summary>
    [Id(7)] public bool CapReached { get; init; }

    /// <summary>Total points: rate points plus bonus.</summary>
    public long Points => RatePoints + BonusPoints;

    // Value equality including the campaigns' content (a record compares lists by instance).
    // Every member above must be listed here.
    public bool Equals(EarningDetails? other) =>
        other is not null
        && EligibleFen == other.EligibleFen
        && PointsPerUnit == other.PointsPerUnit
        && TierMultiplier == other.TierMultiplier
        && BirthdayMultiplier == other.BirthdayMultiplier
        && Campaigns.SequenceEqual(other.Campaigns)
        && RatePoints == other.RatePoints
        && BonusPoints == other.BonusPoints
        && CapReached == other.CapReached;

    public override int GetHashCode() => HashCode.Combine(EligibleFen, PointsPerUnit, RatePoints, BonusPoints, CapReached);
}

/// <summary>A dry run of a checkout: what the basket would earn and what points could pay. Nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.CheckoutQuoteResult")]
public sealed record CheckoutQuoteResult
{
    /// <summary>What the basket would earn if paid now.</summary>
    [Id(0)] public required EarningDetails Earning { get; init; }
    /// <summary>Points redeemable now.</summary>
    [Id(1)] public long Available { get; init; }
    /// <summary>The most points that could pay for this basket (a valid amount within the basket share).</summary>
    [Id(2)] public long MaxRedeemablePoints { get; init; }
    [Id(3)] public long MaxRedeemableValueFen { get; init; }
    /// <summary>The points the till asked about (0: none).</summary>
    [Id(4)] public long RedeemPoints { get; init; }
    [Id(5)] public long RedeemValueFen { get; init; }
    /// <summary>Basket minus the value of the asked points, in fen.</summary>
    [Id(6)] public long CashDueFen { get; init; }
    /// <summary>What a reservation of the asked points (or of the maximum, when none asked) would get.</summary>
    [Id(7)] public RedemptionVerdict Decision { get; init; }
    /// <summary>Why, when not approved; or why the asked points are not a valid redemption.</summary>
    [Id(8)] public IReadOnlyList<string> Reasons { get; init; } = [];
    [Id(9)] public decimal TierDiscountPercent { get; init; }
    [Id(10)] public int ProgramVersion { get; init; }
    /// <summary>The offers that apply, in the order they stack, with what each gives.</summary>
    [Id(11)] public IReadOnlyList<AppliedOfferInfo> Offers { get; init; } = [];
    /// <summary>The offers that don't apply, each with a reason code.</summary>
    [Id(12)] public IReadOnlyList<OfferDecisionInfo> OfferDecisions { get; init; } = [];
    /// <summary>The offers' discounts together, in fen.</summary>
    [Id(13)] public long DiscountFen { get; init; }
    /// <summary>The offers' bonus points together (on top of <see cref="Earning"/>).</summary>
    [Id(14)] public long OfferBonusPoints { get; init; }
    /// <summary>Basket minus offer discounts minus the value of the asked points, in fen.</summary>
    [Id(15)] public long CashDueAfterDiscountsFen { get; init; }

    /// <summary>Points the basket would earn, the offers' bonus points included.</summary>
    public long PointsToEarn => Earning.Points + OfferBonusPoints;

    // Value equality including the reasons' content (a record compares lists by instance).
    // Every member above must be listed here.
    public bool Equals(CheckoutQuoteResult? other) =>
        other is not null
        && Earning.Equals(other.Earning)
        && Available == other.Available
        && MaxRedeemablePoints == other.MaxRedeemablePoints
        && MaxRedeemableValueFen == other.MaxRedeemableValueFen
        && RedeemPoints == other.RedeemPoints
        && RedeemValueFen == other.RedeemValueFen
        && CashDueFen == other.CashDueFen
        && Decision == other.Decision
        && Reasons.SequenceEqual(other.Reasons)
        && TierDiscountPercent == other.TierDiscountPercent
        && ProgramVersion == other.ProgramVersion
        && Offers.SequenceEqual(other.Offers)
        && OfferDecisions.SequenceEqual(other.OfferDecisions)
        && DiscountFen == other.DiscountFen
        && OfferBonusPoints == other.OfferBonusPoints
        && CashDueAfterDiscountsFen == other.CashDueAfterDiscountsFen;

    public override int GetHashCode() => HashCode.Combine(Earning, Available, MaxRedeemablePoints, RedeemPoints, CashDueFen, Decision, ProgramVersion, DiscountFen);
}
