namespace MemberGrains.Persistence;

/// <summary>What an offer's campaign budget counts.</summary>
public enum OfferBudgetUnit
{
    /// <summary>Discount given, in fen.</summary>
    Money,

    /// <summary>Bonus points awarded.</summary>
    Points,

    /// <summary>Applications of the offer.</summary>
    Uses,
}
