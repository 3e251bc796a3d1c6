namespace MemberGrains.Domain.Rules;

/// <summary>
/// A named segment: all given conditions must hold (null: no condition). Scores are the 1–5 RFM
/// scores; <see cref="MaxDaysSinceFirstPurchase"/> singles out new buyers.
/// </summary>
public sealed record SegmentRule
{
    public required string Name { get; init; }

    public int? MinRecency { get; init; }

    public int? MaxRecency { get; init; }

    public int? MinFrequency { get; init; }

    public int? MaxFrequency { get; init; }

    public int? MinMonetary { get; init; }

    public int? MaxMonetary { get; init; }

    public int? MaxDaysSinceFirstPurchase { get; init; }
}
