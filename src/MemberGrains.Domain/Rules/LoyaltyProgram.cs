namespace MemberGrains.Domain.Rules;

/// <summary>
/// A loyalty program as data: every rule and number a retailer can change without a redeploy.
/// Published programs are immutable and numbered; the number is not part of the document (the
/// store assigns it on publish). Money is in minor units (fen); rates are decimals, never doubles.
/// The JSON shape is documented in docs/program.md.
/// </summary>
public sealed record LoyaltyProgram
{
    /// <summary>Format of this document; 1 is the only one so far.</summary>
    public required int Schema { get; init; }

    /// <summary>A name for operators ("Default program 2026").</summary>
    public required string Name { get; init; }

    /// <summary>ISO 4217 code of the money amounts (minor units: 1/100).</summary>
    public required string Currency { get; init; }

    /// <summary>IANA zone the calendar rules (days, months, years, birthdays) are evaluated in.</summary>
    public required string TimeZone { get; init; }

    public required EarningRules Earning { get; init; }

    /// <summary>Behaviour points recorded through RecordActivity, by kind.</summary>
    public required IReadOnlyList<ActivityRule> Activities { get; init; }

    public required RedemptionRules Redemption { get; init; }

    public required ExpiryRules Expiry { get; init; }

    public required RefundRules Refunds { get; init; }

    public required TierRules Tiers { get; init; }

    public required RfmRules Rfm { get; init; }

    /// <summary>Segments tried in order; the first whose conditions all hold is the member's.</summary>
    public required IReadOnlyList<SegmentRule> Segments { get; init; }

    /// <summary>Segment of a member with purchases that no segment rule matches.</summary>
    public required string DefaultSegment { get; init; }

    public required LifecycleRules Lifecycle { get; init; }

    public required RiskRules Risk { get; init; }

    public required NoticeRules Notices { get; init; }

    /// <summary>Bounds of a till's occurred_at; left out, <see cref="OfflineRules.Default"/>.</summary>
    public OfflineRules? Offline { get; init; }

    /// <summary>Product categories offers, affinity tags and replenishment reminders know; left out, none.</summary>
    public IReadOnlyList<CategoryRule>? Categories { get; init; }

    /// <summary>The offers the program runs; left out, none (programs published before offers existed).</summary>
    public IReadOnlyList<Offer>? Offers { get; init; }
}
