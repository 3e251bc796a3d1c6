namespace MemberGrains.Abstractions;

/// <summary>Which mutation a receipt answers.</summary>
[GenerateSerializer, Alias("membergrains.OperationType")]
public enum OperationType
{
    Enroll,
    Accrue,
    Reserve,
    Capture,
    Release,
    Refund,
    Activity,
    Maintenance,
}

/// <summary>Membership tier.</summary>
[GenerateSerializer, Alias("membergrains.MemberTier")]
public enum MemberTier
{
    Regular,
    Silver,
    Gold,
    Platinum,
}

/// <summary>What the program decided about a redemption (a reservation, or a quote's asked points).</summary>
[GenerateSerializer, Alias("membergrains.RedemptionVerdict")]
public enum RedemptionVerdict
{
    /// <summary>Go ahead.</summary>
    Approve,

    /// <summary>Held, but a capture needs a staff approval (reasons given).</summary>
    Review,

    /// <summary>Refused (reasons given); a reservation throws instead of answering this.</summary>
    Decline,
}

/// <summary>The answer to a mutation; a retry gets the same one with <see cref="Replayed"/> set.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.OperationReceipt")]
public sealed record OperationReceipt
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public OperationType Operation { get; init; }
    /// <summary>Points earned, held, redeemed, released or taken back (never negative).</summary>
    [Id(2)] public long Points { get; init; }
    [Id(3)] public long Balance { get; init; }
    [Id(4)] public long Available { get; init; }
    [Id(5)] public string? HoldId { get; init; }
    [Id(6)] public DateTimeOffset? HoldExpiresAt { get; init; }
    [Id(7)] public int ProgramVersion { get; init; }
    [Id(8)] public DateTimeOffset At { get; init; }
    [Id(9)] public bool Replayed { get; init; }
    /// <summary>How an accrual's points were computed; null for other operations.</summary>
    [Id(10)] public EarningDetails? Earning { get; init; }
    /// <summary>For a reservation: approved, or held for staff review.</summary>
    [Id(11)] public RedemptionVerdict Decision { get; init; }
    /// <summary>Risk reason codes behind a review.</summary>
    [Id(12)] public IReadOnlyList<string> Reasons { get; init; } = [];
    /// <summary>For reserve and capture: what the points pay at the till, in fen.</summary>
    [Id(13)] public long ValueFen { get; init; }
    /// <summary>When the till said it happened, if it said so (an accrual, refund or activity sent late).</summary>
    [Id(14)] public DateTimeOffset? OccurredAt { get; init; }
    /// <summary>For an accrual: the offers applied, in the order they stacked.</summary>
    [Id(15)] public IReadOnlyList<AppliedOfferInfo> Offers { get; init; } = [];
    /// <summary>For an accrual: the offers' discounts together, in fen.</summary>
    [Id(16)] public long DiscountFen { get; init; }
    /// <summary>For an accrual: what the member pays, the basket less <see cref="DiscountFen"/>.</summary>
    [Id(17)] public long CashDueAfterDiscountsFen { get; init; }
    /// <summary>For an accrual: presented coupons that did not apply, and why.</summary>
    [Id(18)] public IReadOnlyList<OfferDecisionInfo> OfferDecisions { get; init; } = [];
    /// <summary>Wallet coupons the operation issued.</summary>
    [Id(19)] public IReadOnlyList<string> CouponsIssued { get; init; } = [];

    // A retry must compare equal to the first answer: the reasons are compared by content, not by
    // list instance. Every member above must be listed here.
    public bool Equals(OperationReceipt? other) =>
        other is not null
        && RequestId == other.RequestId
        && Operation == other.Operation
        && Points == other.Points
        && Balance == other.Balance
        && Available == other.Available
        && HoldId == other.HoldId
        && HoldExpiresAt == other.HoldExpiresAt
        && ProgramVersion == other.ProgramVersion
        && At == other.At
        && Replayed == other.Replayed
        && Equals(Earning, other.Earning)
        && Decision == other.Decision
        && Reasons.SequenceEqual(other.Reasons)
        && ValueFen == other.ValueFen
        && OccurredAt == other.OccurredAt
        && Offers.SequenceEqual(other.Offers)
        && DiscountFen == other.DiscountFen
        && CashDueAfterDiscountsFen == other.CashDueAfterDiscountsFen
        && OfferDecisions.SequenceEqual(other.OfferDecisions)
        && CouponsIssued.SequenceEqual(other.CouponsIssued);

    public override int GetHashCode() => HashCode.Combine(RequestId, Operation, Points, Balance, At, Replayed, Decision, ValueFen);
}

/// <summary>A lot of unexpired points.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.LotInfo")]
public sealed record LotInfo
{
    [Id(0)] public DateTimeOffset EarnedAt { get; init; }
    [Id(1)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(2)] public long Remaining { get; init; }
    /// <summary>Until then the lot's points are pending: counted in the balance, not redeemable.</summary>
    [Id(3)] public DateTimeOffset AvailableAt { get; init; }
}

/// <summary>An open redemption hold.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.HoldInfo")]
public sealed record HoldInfo
{
    [Id(0)] public required string HoldId { get; init; }
    [Id(1)] public long Points { get; init; }
    [Id(2)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(3)] public string StoreId { get; init; } = string.Empty;
    [Id(4)] public string TerminalId { get; init; } = string.Empty;
    /// <summary>Risk rules sent the redemption for review: capturing it needs a staff approval.</summary>
    [Id(5)] public bool NeedsReview { get; init; }
}

/// <summary>The member as of <see cref="AsOf"/>, with time-based changes (expiry, tier reviews) applied.</summary>
/// <remarks>Ids 6 (tier) and 12 (qualifying spend) moved into <see cref="TierStatus"/>; never reuse them.</remarks>
[GenerateSerializer, Immutable, Alias("membergrains.MemberSnapshot")]
public sealed record MemberSnapshot
{
    [Id(0)] public required string MemberId { get; init; }
    [Id(1)] public DateTimeOffset EnrolledAt { get; init; }
    [Id(2)] public DateOnly? Birthday { get; init; }
    [Id(3)] public string? HomeStoreId { get; init; }
    [Id(4)] public bool MarketingConsent { get; init; }
    [Id(5)] public bool PersonalisationConsent { get; init; }
    [Id(7)] public long Balance { get; init; }
    [Id(8)] public long Held { get; init; }
    /// <summary>Redeemable now: balance minus held and pending points.</summary>
    [Id(9)] public long Available { get; init; }
    [Id(10)] public long Debt { get; init; }
    [Id(11)] public long LifetimeSpendFen { get; init; }
    [Id(13)] public DateTimeOffset? FirstPurchaseAt { get; init; }
    [Id(14)] public DateTimeOffset? LastPurchaseAt { get; init; }
    [Id(15)] public int PurchaseCount { get; init; }
    [Id(16)] public IReadOnlyList<LotInfo> Lots { get; init; } = [];
    [Id(17)] public IReadOnlyList<HoldInfo> Holds { get; init; } = [];
    [Id(18)] public int ProgramVersion { get; init; }
    [Id(19)] public DateTimeOffset AsOf { get; init; }
    /// <summary>Points in the balance still inside the return window (not redeemable yet).</summary>
    [Id(20)] public long Pending { get; init; }
    /// <summary>Points a refund could not take back; withheld from later earnings, not part of the balance.</summary>
    [Id(21)] public long Owed { get; init; }
    [Id(22)] public required TierProgress TierStatus { get; init; }
    [Id(23)] public required RfmInfo Rfm { get; init; }
    /// <summary>Name of the program segment the member falls in ("new", "high-value" …).</summary>
    [Id(24)] public string Segment { get; init; } = string.Empty;
    [Id(25)] public MemberLifecycle Lifecycle { get; init; }
    /// <summary>Risk flags in force.</summary>
    [Id(26)] public IReadOnlyList<RiskFlagInfo> Flags { get; init; } = [];
    [Id(27)] public required ExpiringPointsInfo ExpiringSoon { get; init; }
}
