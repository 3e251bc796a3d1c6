namespace MemberGrains.Abstractions;

/// <summary>Where a member is in their life with the program.</summary>
[GenerateSerializer, Alias("membergrains.MemberLifecycle")]
public enum MemberLifecycle
{
    /// <summary>Enrolled, no purchase yet.</summary>
    Prospect,

    /// <summary>First purchase recently.</summary>
    New,

    /// <summary>Buying again.</summary>
    Active,

    /// <summary>High RFM scores.</summary>
    Loyal,

    /// <summary>Silent for a while.</summary>
    AtRisk,

    /// <summary>Silent for long.</summary>
    Churned,
}

/// <summary>The member's tier, its benefits and the way to the next one.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.TierProgress")]
public sealed record TierProgress
{
    [Id(0)] public MemberTier Tier { get; init; }
    /// <summary>Member discount at the till, in percent (10 = 10 % off).</summary>
    [Id(1)] public decimal DiscountPercent { get; init; }
    /// <summary>Multiplier on the rate points of purchases.</summary>
    [Id(2)] public decimal EarnMultiplier { get; init; }
    [Id(3)] public IReadOnlyList<string> Perks { get; init; } = [];
    /// <summary>Net spend over the program's rolling window, in fen.</summary>
    [Id(4)] public long QualifyingSpendFen { get; init; }
    /// <summary>The next tier up; null at the top.</summary>
    [Id(5)] public MemberTier? NextTier { get; init; }
    /// <summary>Qualifying spend still needed for <see cref="NextTier"/>, in fen (0 at the top).</summary>
    [Id(6)] public long SpendToNextTierFen { get; init; }
}

/// <summary>Recency, frequency and monetary value with their 1–5 scores (0 before the first purchase).</summary>
[GenerateSerializer, Immutable, Alias("membergrains.RfmInfo")]
public sealed record RfmInfo
{
    /// <summary>Days since the last purchase; null before the first one.</summary>
    [Id(0)] public int? RecencyDays { get; init; }
    /// <summary>Purchases in the program's window.</summary>
    [Id(1)] public int Frequency { get; init; }
    /// <summary>Net spend in the program's window, in fen.</summary>
    [Id(2)] public long MonetaryFen { get; init; }
    [Id(3)] public int RecencyScore { get; init; }
    [Id(4)] public int FrequencyScore { get; init; }
    [Id(5)] public int MonetaryScore { get; init; }
}

/// <summary>A risk flag in force, as shown to staff.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.RiskFlagInfo")]
public sealed record RiskFlagInfo
{
    /// <summary>Reason code, e.g. <c>daily_cap_reached</c>.</summary>
    [Id(0)] public required string Code { get; init; }
    [Id(1)] public DateTimeOffset RaisedAt { get; init; }
    /// <summary>What raised it, for staff.</summary>
    [Id(2)] public string Detail { get; init; } = string.Empty;
    /// <summary>What the flag does to a redemption.</summary>
    [Id(3)] public RedemptionVerdict OnRedemption { get; init; }
}

/// <summary>Points expiring within the program's notice window.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ExpiringPointsInfo")]
public sealed record ExpiringPointsInfo
{
    [Id(0)] public long Points { get; init; }
    /// <summary>The earliest expiry among them; null when none expire soon.</summary>
    [Id(1)] public DateTimeOffset? FirstExpiresAt { get; init; }
}
