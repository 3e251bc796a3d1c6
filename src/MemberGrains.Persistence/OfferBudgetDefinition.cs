namespace MemberGrains.Persistence;

/// <summary>What setting an offer's budget from a program did.</summary>
public enum OfferBudgetDefinition
{
    /// <summary>The offer had no budget yet.</summary>
    Created,

    /// <summary>The total changed (lowering it below what is spent and held revoked the open leases).</summary>
    Updated,

    /// <summary>The same total again.</summary>
    Unchanged,

    /// <summary>A newer program set it already: nothing changed.</summary>
    Stale,
}
