namespace MemberGrains.Domain;

/// <summary>A lot as shown to the member.</summary>
public sealed record LotView(DateTimeOffset EarnedAt, DateTimeOffset ExpiresAt, long Remaining, DateTimeOffset AvailableAt);

/// <summary>An open hold as shown to a till.</summary>
public sealed record HoldView(string HoldId, long Points, DateTimeOffset ExpiresAt, string StoreId, string TerminalId, bool NeedsReview);

/// <summary>A risk flag as shown to staff.</summary>
public sealed record FlagView(string Code, DateTimeOffset RaisedAt, string Detail, RedemptionDecision OnRedemption);

/// <summary>The member's tier, its benefits and the way to the next one.</summary>
/// <param name="Tier">Current tier (monthly reviews due by now already applied).</param>
/// <param name="DiscountPercent">Member discount at the till.</param>
/// <param name="EarnMultiplier">Multiplier on rate points.</param>
/// <param name="Perks">Other benefits.</param>
/// <param name="QualifyingSpendFen">Net spend over the program's rolling window of months.</param>
/// <param name="NextTier">The next tier up, null at the top.</param>
/// <param name="SpendToNextTierFen">Qualifying spend still needed for it (0 at the top).</param>
public sealed record TierStatus(
    Tier Tier,
    decimal DiscountPercent,
    decimal EarnMultiplier,
    IReadOnlyList<string> Perks,
    long QualifyingSpendFen,
    Tier? NextTier,
    long SpendToNextTierFen);

/// <summary>Recency, frequency and monetary value with their 1–5 scores (0 before the first purchase).</summary>
public sealed record RfmView(
    int? RecencyDays,
    int Frequency,
    long MonetaryFen,
    int RecencyScore,
    int FrequencyScore,
    int MonetaryScore);

/// <summary>Points expiring within the program's notice window: how many, and the earliest date.</summary>
public sealed record ExpiringPoints(long Points, DateTimeOffset? FirstExpiresAt);

/// <summary>The member's state as of an instant, with time-based changes (expiry, tier reviews) already applied.</summary>
public sealed record MemberView(
    string MemberId,
    DateTimeOffset EnrolledAt,
    DateOnly? Birthday,
    string? HomeStoreId,
    bool MarketingConsent,
    bool PersonalisationConsent,
    TierStatus Tier,
    long Balance,
    long Held,
    long Pending,
    long Available,
    long Debt,
    long Owed,
    long LifetimeSpendFen,
    DateTimeOffset? FirstPurchaseAt,
    DateTimeOffset? LastPurchaseAt,
    int PurchaseCount,
    RfmView Rfm,
    string Segment,
    LifecycleStage Lifecycle,
    IReadOnlyList<FlagView> Flags,
    ExpiringPoints ExpiringSoon,
    IReadOnlyList<LotView> Lots,
    IReadOnlyList<HoldView> Holds,
    int ProgramVersion,
    DateTimeOffset AsOf);
