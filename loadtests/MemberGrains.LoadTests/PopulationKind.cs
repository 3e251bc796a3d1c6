namespace MemberGrains.LoadTests;

/// <summary>Where the members and their purchases come from.</summary>
internal enum PopulationKind
{
    /// <summary>N generated members, Zipf-skewed popularity, generated baskets.</summary>
    Synthetic,

    /// <summary>The UCI Online Retail customers (each copied --uci-scale times) and a replay of their invoices.</summary>
    Uci,
}
