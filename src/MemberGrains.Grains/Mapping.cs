using MemberGrains.Abstractions;
using MemberGrains.Domain;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;

namespace MemberGrains.Grains;

/// <summary>Domain types → grain results, refusals and store rows. (Requests need no mapping here: the grain takes the domain's commands as they are.)</summary>
internal static class Mapping
{
    public static OperationReceipt ToDto(this Receipt r, bool replayed) => new()
    {
        RequestId = r.RequestId,
        Operation = r.Operation.ToDto(),
        Points = r.Points,
        Balance = r.Balance,
        Available = r.Available,
        HoldId = r.HoldId,
        HoldExpiresAt = r.HoldExpiresAt,
        ProgramVersion = r.ProgramVersion,
        At = r.At,
        Replayed = replayed,
        Earning = r.Earning?.ToDto(),
        Decision = r.Decision.ToDto(),
        Reasons = [.. r.Reasons ?? []],
        ValueFen = r.ValueFen,
        OccurredAt = r.OccurredAt,
        Offers = r.Offers.ToDto(),
        DiscountFen = r.DiscountFen,
        CashDueAfterDiscountsFen = r.CashDueAfterDiscountsFen,
        OfferDecisions = r.OfferDecisions.ToDto(),
        CouponsIssued = [.. r.CouponsIssued ?? []],
    };

    public static CheckoutQuoteResult ToDto(this CheckoutQuote q) => new()
    {
        Earning = q.Earning.ToDto(),
        Available = q.Available,
        MaxRedeemablePoints = q.MaxRedeemablePoints,
        MaxRedeemableValueFen = q.MaxRedeemableValueFen,
        RedeemPoints = q.RedeemPoints,
        RedeemValueFen = q.RedeemValueFen,
        CashDueFen = q.CashDueFen,
        Decision = q.Decision.ToDto(),
        Reasons = [.. q.Reasons],
        TierDiscountPercent = q.TierDiscountPercent,
        ProgramVersion = q.ProgramVersion,
        Offers = q.Offers.ToDto(),
        OfferDecisions = q.OfferDecisions.ToDto(),
        DiscountFen = q.DiscountFen,
        OfferBonusPoints = q.OfferBonusPoints,
        CashDueAfterDiscountsFen = q.CashDueAfterDiscountsFen,
    };

    /// <summary>What a store screen shows of a member as of <paramref name="version"/>.</summary>
    public static ScreenViewInfo ToDto(this MemberScreen s, long version) => new()
    {
        MaskedMemberId = s.MaskedMemberId,
        Version = version,
        AsOf = s.AsOf,
        Personalised = s.Personalised,
        Balance = s.Balance,
        Available = s.Available,
        Tier = s.Tier.ToDto(),
        ExpiringSoon = new ExpiringPointsInfo { Points = s.ExpiringSoon.Points, FirstExpiresAt = s.ExpiringSoon.FirstExpiresAt },
        Offers =
        [
            .. s.Offers.Select(o => new ScreenOfferInfo
            {
                OfferId = o.OfferId,
                Title = o.Title.ToDto(),
                Reason = o.Reason.ToDto(),
                ReasonCode = o.ReasonCode,
                Kind = o.KindCode,
                ValueFen = o.ValueFen,
                AvailableFrom = o.AvailableFrom,
                ValidUntil = o.ValidUntil,
                CouponId = o.CouponId,
            }),
        ],
        Reminders =
        [
            .. s.Reminders.Select(r => new ReminderInfo
            {
                Category = r.Category,
                Name = r.Name.ToDto(),
                UsualIntervalDays = r.UsualIntervalDays,
                DaysSinceLast = r.DaysSinceLast,
                DueInDays = r.DueInDays,
            }),
        ],
        AffinityTags = [.. s.Tags.Select(t => t.Tag.ToDto())],
        ProgramVersion = s.ProgramVersion,
        Lifecycle = s.Lifecycle.ToDto(),
    };

    /// <summary>The offer uses of a change as the store writes them (amounts as magnitudes; the give-back flag says which way).</summary>
    public static IReadOnlyList<OfferUseRow> ToRows(this IReadOnlyList<OfferUse> uses) =>
        uses.Count == 0
            ? []
            : [
                .. uses.Select(u => new OfferUseRow
                {
                    OfferId = u.OfferId,
                    RequestId = u.RequestId,
                    LeaseId = u.GiveBack ? null : OfferLeaseToken.Parse(u.BudgetToken),
                    Amount = Math.Abs(u.BudgetUnits),
                    DiscountFen = Math.Abs(u.DiscountFen),
                    BonusPoints = Math.Abs(u.BonusPoints),
                    GiveBack = u.GiveBack,
                    OccurredAt = u.At,
                }),
            ];

    private static LocalizedTextInfo ToDto(this LocalizedText t) => new() { En = t.En, ZhCn = t.ZhCn };

    private static IReadOnlyList<AppliedOfferInfo> ToDto(this IReadOnlyList<AppliedOffer>? offers) =>
        offers is null or { Count: 0 }
            ? []
            : [
                .. offers.Select(o => new AppliedOfferInfo
                {
                    OfferId = o.OfferId,
                    Kind = OfferCodes.Of(o.Kind),
                    Title = o.Title.ToDto(),
                    DiscountFen = o.DiscountFen,
                    BonusPoints = o.BonusPoints,
                    Multiplier = o.Multiplier,
                    Gift = o.Gift?.ToDto(),
                    Applications = o.Applications,
                    CouponId = o.CouponId,
                    IssuedCouponId = o.IssuedCouponId,
                }),
            ];

    private static IReadOnlyList<OfferDecisionInfo> ToDto(this IReadOnlyList<OfferDecision>? decisions) =>
        decisions is null or { Count: 0 }
            ? []
            : [.. decisions.Select(d => new OfferDecisionInfo { OfferId = d.OfferId, Kind = OfferCodes.Of(d.Kind), Code = d.Code, Detail = d.Detail, CouponId = d.CouponId })];

    public static EarningDetails ToDto(this EarnBreakdown e) => new()
    {
        EligibleFen = e.EligibleFen,
        PointsPerUnit = e.PointsPerUnit,
        TierMultiplier = e.TierMultiplier,
        BirthdayMultiplier = e.BirthdayMultiplier,
        Campaigns = [.. e.Campaigns],
        RatePoints = e.RatePoints,
        BonusPoints = e.BonusPoints,
        CapReached = e.CapReached,
    };

    public static MemberSnapshot ToDto(this MemberView v) => new()
    {
        MemberId = v.MemberId,
        EnrolledAt = v.EnrolledAt,
        Birthday = v.Birthday,
        HomeStoreId = v.HomeStoreId,
        MarketingConsent = v.MarketingConsent,
        PersonalisationConsent = v.PersonalisationConsent,
        Balance = v.Balance,
        Held = v.Held,
        Pending = v.Pending,
        Available = v.Available,
        Debt = v.Debt,
        Owed = v.Owed,
        LifetimeSpendFen = v.LifetimeSpendFen,
        FirstPurchaseAt = v.FirstPurchaseAt,
        LastPurchaseAt = v.LastPurchaseAt,
        PurchaseCount = v.PurchaseCount,
        TierStatus = v.Tier.ToDto(),
        Rfm = new RfmInfo
        {
            RecencyDays = v.Rfm.RecencyDays,
            Frequency = v.Rfm.Frequency,
            MonetaryFen = v.Rfm.MonetaryFen,
            RecencyScore = v.Rfm.RecencyScore,
            FrequencyScore = v.Rfm.FrequencyScore,
            MonetaryScore = v.Rfm.MonetaryScore,
        },
        Segment = v.Segment,
        Lifecycle = v.Lifecycle.ToDto(),
        Flags = [.. v.Flags.Select(f => new RiskFlagInfo { Code = f.Code, RaisedAt = f.RaisedAt, Detail = f.Detail, OnRedemption = f.OnRedemption.ToDto() })],
        ExpiringSoon = new ExpiringPointsInfo { Points = v.ExpiringSoon.Points, FirstExpiresAt = v.ExpiringSoon.FirstExpiresAt },
        Lots = [.. v.Lots.Select(l => new LotInfo { EarnedAt = l.EarnedAt, ExpiresAt = l.ExpiresAt, Remaining = l.Remaining, AvailableAt = l.AvailableAt })],
        Holds =
        [
            .. v.Holds.Select(h => new HoldInfo
            {
                HoldId = h.HoldId,
                Points = h.Points,
                ExpiresAt = h.ExpiresAt,
                StoreId = h.StoreId,
                TerminalId = h.TerminalId,
                NeedsReview = h.NeedsReview,
            }),
        ],
        ProgramVersion = v.ProgramVersion,
        AsOf = v.AsOf,
    };

    public static MemberOperationException ToRefusal(this DomainException e) =>
        new(e.Kind.ToDto(), e.Field, e.Message, e.Reason, [.. e.Reasons]);

    // Explicit switches rather than casts: a value added on one side fails loudly instead of shifting meaning.
    private static TierProgress ToDto(this TierStatus t) => new()
    {
        Tier = t.Tier.ToDto(),
        DiscountPercent = t.DiscountPercent,
        EarnMultiplier = t.EarnMultiplier,
        Perks = [.. t.Perks],
        QualifyingSpendFen = t.QualifyingSpendFen,
        NextTier = t.NextTier?.ToDto(),
        SpendToNextTierFen = t.SpendToNextTierFen,
    };

    private static OperationType ToDto(this OperationKind kind) => kind switch
    {
        OperationKind.Enroll => OperationType.Enroll,
        OperationKind.Accrue => OperationType.Accrue,
        OperationKind.Reserve => OperationType.Reserve,
        OperationKind.Capture => OperationType.Capture,
        OperationKind.Release => OperationType.Release,
        OperationKind.Refund => OperationType.Refund,
        OperationKind.Activity => OperationType.Activity,
        OperationKind.Maintenance => OperationType.Maintenance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown operation kind."),
    };

    private static MemberTier ToDto(this Tier tier) => tier switch
    {
        Tier.Regular => MemberTier.Regular,
        Tier.Silver => MemberTier.Silver,
        Tier.Gold => MemberTier.Gold,
        Tier.Platinum => MemberTier.Platinum,
        _ => throw new ArgumentOutOfRangeException(nameof(tier), tier, "Unknown tier."),
    };

    private static RedemptionVerdict ToDto(this RedemptionDecision decision) => decision switch
    {
        RedemptionDecision.Approve => RedemptionVerdict.Approve,
        RedemptionDecision.Review => RedemptionVerdict.Review,
        RedemptionDecision.Decline => RedemptionVerdict.Decline,
        _ => throw new ArgumentOutOfRangeException(nameof(decision), decision, "Unknown redemption decision."),
    };

    private static MemberLifecycle ToDto(this LifecycleStage stage) => stage switch
    {
        LifecycleStage.Prospect => MemberLifecycle.Prospect,
        LifecycleStage.New => MemberLifecycle.New,
        LifecycleStage.Active => MemberLifecycle.Active,
        LifecycleStage.Loyal => MemberLifecycle.Loyal,
        LifecycleStage.AtRisk => MemberLifecycle.AtRisk,
        LifecycleStage.Churned => MemberLifecycle.Churned,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown lifecycle stage."),
    };

    private static RefusalKind ToDto(this ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => RefusalKind.InvalidArgument,
        ErrorKind.NotFound => RefusalKind.NotFound,
        ErrorKind.FailedPrecondition => RefusalKind.FailedPrecondition,
        ErrorKind.AlreadyExists => RefusalKind.AlreadyExists,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown error kind."),
    };
}
