namespace MemberGrains.Domain.Rules;

/// <summary>What a campaign budget counts.</summary>
public enum BudgetUnit
{
    /// <summary>Discount given, in fen.</summary>
    DiscountFen,

    /// <summary>Bonus points given.</summary>
    Points,

    /// <summary>Uses: one per basket the offer applies to, or per coupon issued.</summary>
    Uses,
}
