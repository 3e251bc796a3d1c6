namespace MemberGrains.Domain.Rules;

/// <summary>What an offer gives. Persisted by number in member state: append only, never renumber.</summary>
public enum OfferKind
{
    /// <summary>Money off when the spend reaches a step ("spend 100 save 20, spend 200 save 50"); the highest step reached applies.</summary>
    AmountOff = 0,

    /// <summary>A percentage off the lines the offer covers.</summary>
    PercentOff = 1,

    /// <summary>For every group of units bought, units free or a (possibly non-monetary) gift.</summary>
    BuyXGetY = 2,

    /// <summary>Extra points: the purchase's rate points again, times the multiplier minus one.</summary>
    PointsMultiplier = 3,

    /// <summary>A fixed number of extra points.</summary>
    BonusPoints = 4,

    /// <summary>Issues a coupon (another offer, a wallet coupon) to the member's wallet.</summary>
    Coupon = 5,
}
