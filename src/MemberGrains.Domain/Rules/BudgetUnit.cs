namespace MemberGrains.Domain.Rules;

/// <summary>What a campaign budget counts. Stored by number in the member state (purchases keep it): never renumber.</summary>
public enum BudgetUnit
{
    /// <summary>Discount given, in fen.</summary>
    DiscountFen = 0,

    /// <summary>Bonus points given.</summary>
    Points = 1,

    /// <summary>Uses: one per basket the offer applies to, or per coupon issued.</summary>
    Uses = 2,
}
