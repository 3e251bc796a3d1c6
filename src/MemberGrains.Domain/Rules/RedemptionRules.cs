namespace MemberGrains.Domain.Rules;

/// <summary>How points pay at a till.</summary>
public sealed record RedemptionRules
{
    /// <summary>Points worth one whole currency unit (100: 100 points = 1 CNY).</summary>
    public required long PointsPerUnit { get; init; }

    /// <summary>Smallest redemption.</summary>
    public required long MinimumPoints { get; init; }

    /// <summary>Redemptions are multiples of this.</summary>
    public required long StepPoints { get; init; }

    /// <summary>Largest share of the basket points may pay, in percent (100: all of it).</summary>
    public required int MaxBasketSharePercent { get; init; }

    /// <summary>
    /// Optional better value for larger redemptions: the whole redemption is valued at the band its
    /// points reach, each band naming its own points per unit. Empty: <see cref="PointsPerUnit"/> throughout.
    /// </summary>
    public required IReadOnlyList<RedemptionBand> TieredValue { get; init; }

    /// <summary>How long a hold lasts when the till does not say.</summary>
    public required int DefaultHoldSeconds { get; init; }

    /// <summary>The longest hold a till may ask for.</summary>
    public required int MaxHoldSeconds { get; init; }
}

/// <summary>Redemptions of at least <see cref="MinPoints"/> are valued at <see cref="PointsPerUnit"/>.</summary>
public sealed record RedemptionBand(long MinPoints, long PointsPerUnit);
