namespace MemberGrains.Domain;

/// <summary>A lot as shown to the member.</summary>
public sealed record LotView(DateTimeOffset EarnedAt, DateTimeOffset ExpiresAt, long Remaining);

/// <summary>An open hold as shown to a till.</summary>
public sealed record HoldView(string HoldId, long Points, DateTimeOffset ExpiresAt, string StoreId, string TerminalId);

/// <summary>The member's state as of an instant, with time-based changes (expiry) already applied.</summary>
public sealed record MemberView(
    string MemberId,
    DateTimeOffset EnrolledAt,
    DateOnly? Birthday,
    string? HomeStoreId,
    bool MarketingConsent,
    bool PersonalisationConsent,
    Tier Tier,
    long Balance,
    long Held,
    long Available,
    long Debt,
    long LifetimeSpendFen,
    long QualifyingSpendFen,
    DateTimeOffset? FirstPurchaseAt,
    DateTimeOffset? LastPurchaseAt,
    int PurchaseCount,
    IReadOnlyList<LotView> Lots,
    IReadOnlyList<HoldView> Holds,
    int ProgramVersion,
    DateTimeOffset AsOf);
