namespace MemberGrains.Domain.Rules;

/// <summary>
/// Recency, frequency and monetary scoring. Frequency and monetary count the last
/// <see cref="WindowMonths"/> calendar months (current one included). Each breakpoint list has
/// four ascending values splitting the 1–5 scores.
/// </summary>
public sealed record RfmRules
{
    public required int WindowMonths { get; init; }

    /// <summary>Days since the last purchase: at most the first value scores 5, the second 4, … beyond the last 1.</summary>
    public required IReadOnlyList<int> RecencyDays { get; init; }

    /// <summary>Purchases in the window: at least the first value scores 2, the second 3, … the last 5.</summary>
    public required IReadOnlyList<int> FrequencyPurchases { get; init; }

    /// <summary>Net spend in the window: at least the first value scores 2, … the last 5.</summary>
    public required IReadOnlyList<long> MonetaryFen { get; init; }
}
