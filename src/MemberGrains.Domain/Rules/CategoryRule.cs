namespace MemberGrains.Domain.Rules;

/// <summary>
/// A product category the program knows: its name for screens, when a member counts as a frequent
/// buyer of it (<see cref="Affinity"/>) and whether members are reminded to buy it again (<see cref="Replenish"/>).
/// Offers may only name categories listed here.
/// </summary>
public sealed record CategoryRule
{
    /// <summary>The category as tills send it on purchase lines (matched exactly).</summary>
    public required string Category { get; init; }

    public required LocalizedText Name { get; init; }

    public AffinityRule? Affinity { get; init; }

    public ReplenishRule? Replenish { get; init; }
}
