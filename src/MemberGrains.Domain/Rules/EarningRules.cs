namespace MemberGrains.Domain.Rules;

/// <summary>How purchases earn points.</summary>
public sealed record EarningRules
{
    /// <summary>Points given once at enrolment.</summary>
    public required long EnrollmentBonus { get; init; }

    /// <summary>
    /// Rate brackets by eligible basket amount: the whole basket earns at the rate of the highest
    /// bracket whose minimum it reaches. The first bracket starts at 0.
    /// </summary>
    public required IReadOnlyList<RateBracket> Brackets { get; init; }

    /// <summary>Flat bonuses for a single purchase reaching a minimum; only the highest reached applies. Never multiplied.</summary>
    public required IReadOnlyList<ThresholdBonus> ThresholdBonuses { get; init; }

    /// <summary>Multiplier on rate points during the member's birthday month or week.</summary>
    public required BirthdayRule Birthday { get; init; }

    /// <summary>Multipliers on the rate points of lines in a category (e.g. eco products x1.5).</summary>
    public required IReadOnlyList<CategoryMultiplier> CategoryMultipliers { get; init; }

    /// <summary>Time-limited multipliers ("double points this weekend").</summary>
    public required IReadOnlyList<Campaign> Campaigns { get; init; }

    /// <summary>Eligible spend per member per store-local day; spend above it earns nothing. 0 means no cap.</summary>
    public required long DailyCapFen { get; init; }

    /// <summary>Days earned points stay pending (not redeemable) while the purchase can be returned. 0: redeemable at once.</summary>
    public required int PendingDays { get; init; }
}

/// <summary>Points per whole currency unit for baskets from <see cref="MinSpendFen"/> up.</summary>
public sealed record RateBracket(long MinSpendFen, decimal PointsPerUnit);

/// <summary>Bonus points for a purchase of at least <see cref="MinSpendFen"/> eligible spend.</summary>
public sealed record ThresholdBonus(long MinSpendFen, long Points);

/// <summary>Birthday multiplier over the birthday's month or its week (Monday to Sunday).</summary>
public sealed record BirthdayRule(decimal Multiplier, BirthdayPeriod Period);

/// <summary>The stretch of the year the birthday multiplier applies to.</summary>
public enum BirthdayPeriod
{
    Month,
    Week,
}

/// <summary>Multiplier on lines of one category.</summary>
public sealed record CategoryMultiplier(string Category, decimal Multiplier);

/// <summary>
/// A multiplier active on store-local dates <see cref="From"/>..<see cref="To"/> (inclusive),
/// optionally only on some weekdays, in some stores, or for some categories (empty: all).
/// </summary>
public sealed record Campaign
{
    public required string Id { get; init; }

    public required decimal Multiplier { get; init; }

    public required DateOnly From { get; init; }

    public required DateOnly To { get; init; }

    public IReadOnlyList<DayOfWeek> DaysOfWeek { get; init; } = [];

    public IReadOnlyList<string> StoreIds { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];
}
