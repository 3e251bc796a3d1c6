namespace MemberGrains.Domain.Rules;

/// <summary>How an offer combines with the others that apply to the same basket (see docs/program.md, Stacking).</summary>
public enum OfferStacking
{
    /// <summary>Applies alone: the exclusive offer of highest priority that applies excludes every other offer.</summary>
    Exclusive,

    /// <summary>Applies together with every other stackable offer and the best best-of offer.</summary>
    Stackable,

    /// <summary>Among best-of offers only the most valuable applies (then the higher priority); it stacks with the stackable ones.</summary>
    BestOf,
}
