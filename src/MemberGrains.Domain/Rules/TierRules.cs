namespace MemberGrains.Domain.Rules;

/// <summary>Tiers by qualifying spend over a rolling window of calendar months, and how they are kept.</summary>
public sealed record TierRules
{
    /// <summary>Calendar months (the current one included) whose spend qualifies.</summary>
    public required int QualifyingMonths { get; init; }

    /// <summary>One entry per tier, lowest first, with contiguous spend ranges starting at 0.</summary>
    public required IReadOnlyList<TierLevel> Levels { get; init; }

    /// <summary>Monthly minimum spend to keep a tier; a member below it drops one level at the month's end.</summary>
    public required IReadOnlyList<TierMaintenance> Maintenance { get; init; }

    /// <summary>Consecutive calendar months without a purchase after which any tier drops to the lowest. 0: never.</summary>
    public required int InactiveMonthsToLowest { get; init; }
}

/// <summary>A tier, its qualifying-spend range (inclusive; no maximum for the top) and its benefits.</summary>
public sealed record TierLevel
{
    public required Tier Tier { get; init; }

    public required long MinSpendFen { get; init; }

    public long? MaxSpendFen { get; init; }

    /// <summary>Multiplier on rate points.</summary>
    public required decimal EarnMultiplier { get; init; }

    /// <summary>Member discount at the till, in percent.</summary>
    public required decimal DiscountPercent { get; init; }

    /// <summary>Other benefits, for screens and staff ("free-delivery", "priority-service" …).</summary>
    public IReadOnlyList<string> Perks { get; init; } = [];
}

/// <summary>A tier whose members must spend at least <see cref="MinMonthlySpendFen"/> each calendar month to keep it.</summary>
public sealed record TierMaintenance(Tier Tier, long MinMonthlySpendFen);
