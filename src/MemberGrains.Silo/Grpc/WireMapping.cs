using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using MemberGrains.Abstractions;
using MemberGrains.Domain;
using V1 = MemberGrains.Protos.V1;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// Protobuf requests → the domain's commands, which the grain takes as they are (a request is
/// mapped once, here), and grain results → protobuf messages. Field names in errors are the proto
/// field names. The edge checks only what the wire encoding itself can get wrong (the member number
/// that picks the grain, date text, negative values of "0 = not given" fields) and normalises every
/// text to Unicode NFC (a till sending "Zürich" means the store "Zürich"); the member's account
/// validates every other field with the same field names, so a rule lives in one place.
/// </summary>
internal static class WireMapping
{
    public static string MemberId(string memberId)
    {
        var normalized = N(memberId);
        Validate.MemberId("member_id", normalized);
        return normalized;
    }

    /// <summary>Text as the grains receive it: NFC.</summary>
    public static string N(string value) => Validate.Normalized(value);

    /// <summary>The enrolment of <paramref name="memberId"/>, the grain key already taken from the request by <see cref="MemberId(string)"/>.</summary>
    public static EnrollCommand ToCommand(this V1.EnrollMemberRequest r, string memberId) => new(
        memberId,
        N(r.RequestId),
        ParseDate("birthday", r.Birthday),
        string.IsNullOrEmpty(r.HomeStoreId) ? null : N(r.HomeStoreId),
        r.MarketingConsent,
        r.PersonalisationConsent);

    public static AccrueCommand ToCommand(this V1.AccrueRequest r) => new(
        N(r.RequestId),
        N(r.StoreId),
        N(r.TerminalId),
        r.TotalFen,
        r.Lines.ToDomain(),
        Instant("occurred_at", r.OccurredAt),
        r.CouponIds.ToDomain());

    // The wire says "not given" with 0; the command with null.
    public static ReserveCommand ToCommand(this V1.ReserveRedemptionRequest r)
    {
        if (r.HoldSeconds < 0)
        {
            throw DomainException.Invalid("hold_seconds", "hold_seconds must not be negative.");
        }

        if (r.BasketFen < 0)
        {
            throw DomainException.Invalid("basket_fen", "basket_fen must not be negative (0 = not given).");
        }

        return new(
            N(r.RequestId),
            N(r.StoreId),
            N(r.TerminalId),
            r.Points,
            r.HoldSeconds == 0 ? null : TimeSpan.FromSeconds(r.HoldSeconds),
            r.BasketFen == 0 ? null : r.BasketFen);
    }

    public static CaptureCommand ToCommand(this V1.CaptureRedemptionRequest r) => new(
        N(r.RequestId),
        N(r.StoreId),
        N(r.TerminalId),
        N(r.HoldId),
        r.Points,
        string.IsNullOrEmpty(r.ApprovedBy) ? null : N(r.ApprovedBy));

    public static ReleaseCommand ToCommand(this V1.ReleaseRedemptionRequest r) =>
        new(N(r.RequestId), N(r.StoreId), N(r.TerminalId), N(r.HoldId));

    public static RefundCommand ToCommand(this V1.RefundRequest r) =>
        new(N(r.RequestId), N(r.StoreId), N(r.TerminalId), N(r.OriginalRequestId), r.AmountFen, Instant("occurred_at", r.OccurredAt));

    // Which activity kinds exist is the program's business: the account refuses unknown ones (field kind).
    public static ActivityCommand ToCommand(this V1.RecordActivityRequest r) =>
        new(N(r.RequestId), N(r.StoreId), N(r.TerminalId), N(r.Kind), N(r.Reference), Instant("occurred_at", r.OccurredAt));

    public static QuoteCommand ToCommand(this V1.QuoteCheckoutRequest r) =>
        new(N(r.StoreId), r.TotalFen, r.Lines.ToDomain(), r.RedeemPoints, r.CouponIds.ToDomain());

    public static V1.Receipt ToWire(this OperationReceipt r)
    {
        var receipt = new V1.Receipt
        {
            RequestId = r.RequestId,
            Points = r.Points,
            Balance = r.Balance,
            Available = r.Available,
            ProgramVersion = r.ProgramVersion,
            AppliedAt = Timestamp.FromDateTimeOffset(r.At),
            Replayed = r.Replayed,
            Earning = r.Earning?.ToWire(),
            // A decision is only ever made about a reservation; other receipts leave it unspecified.
            Decision = r.Operation == OperationType.Reserve ? r.Decision.ToWire() : V1.Decision.Unspecified,
            ValueFen = r.ValueFen,
            OccurredAt = Time(r.OccurredAt),
            DiscountFen = r.DiscountFen,
            CashDueAfterDiscountsFen = r.CashDueAfterDiscountsFen,
        };
        receipt.Reasons.AddRange(r.Reasons);
        receipt.Offers.AddRange(r.Offers.Select(ToWire));
        receipt.OfferDecisions.AddRange(r.OfferDecisions.Select(ToWire));
        receipt.CouponsIssued.AddRange(r.CouponsIssued);
        return receipt;
    }

    public static V1.QuoteCheckoutResponse ToWire(this CheckoutQuoteResult q)
    {
        var quote = new V1.QuoteCheckoutResponse
        {
            Earning = q.Earning.ToWire(),
            PointsToEarn = q.PointsToEarn,
            Available = q.Available,
            MaxRedeemablePoints = q.MaxRedeemablePoints,
            MaxRedeemableValueFen = q.MaxRedeemableValueFen,
            RedeemPoints = q.RedeemPoints,
            RedeemValueFen = q.RedeemValueFen,
            CashDueFen = q.CashDueFen,
            Decision = q.Decision.ToWire(),
            TierDiscountPercent = Decimal(q.TierDiscountPercent),
            ProgramVersion = q.ProgramVersion,
            DiscountFen = q.DiscountFen,
            OfferBonusPoints = q.OfferBonusPoints,
            CashDueAfterDiscountsFen = q.CashDueAfterDiscountsFen,
        };
        quote.Reasons.AddRange(q.Reasons);
        quote.Offers.AddRange(q.Offers.Select(ToWire));
        quote.OfferDecisions.AddRange(q.OfferDecisions.Select(ToWire));
        return quote;
    }

    /// <summary>The member on the wire; its lots and holds only when <paramref name="lotsAndHolds"/> (GetMemberRequest.include_lots_and_holds).</summary>
    public static V1.Member ToWire(this MemberSnapshot m, bool lotsAndHolds)
    {
        var member = new V1.Member
        {
            MemberId = m.MemberId,
            EnrolledAt = Timestamp.FromDateTimeOffset(m.EnrolledAt),
            Birthday = m.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            HomeStoreId = m.HomeStoreId ?? string.Empty,
            MarketingConsent = m.MarketingConsent,
            PersonalisationConsent = m.PersonalisationConsent,
            Tier = m.TierStatus.Tier.ToWire(),
            Balance = m.Balance,
            Held = m.Held,
            Available = m.Available,
            Debt = m.Debt,
            LifetimeSpendFen = m.LifetimeSpendFen,
            QualifyingSpendFen = m.TierStatus.QualifyingSpendFen,
            FirstPurchaseAt = Time(m.FirstPurchaseAt),
            LastPurchaseAt = Time(m.LastPurchaseAt),
            PurchaseCount = m.PurchaseCount,
            ProgramVersion = m.ProgramVersion,
            AsOf = Timestamp.FromDateTimeOffset(m.AsOf),
            TierStatus = m.TierStatus.ToWire(),
            Rfm = m.Rfm.ToWire(),
            Segment = m.Segment,
            Lifecycle = m.Lifecycle.ToWire(),
            ExpiringSoon = new V1.ExpiringPoints { Points = m.ExpiringSoon.Points, FirstExpiresAt = Time(m.ExpiringSoon.FirstExpiresAt) },
            Pending = m.Pending,
            Owed = m.Owed,
            LotsAndHoldsIncluded = lotsAndHolds,
        };
        member.Flags.AddRange(m.Flags.Select(f => new V1.RiskFlag
        {
            Code = f.Code,
            RaisedAt = Timestamp.FromDateTimeOffset(f.RaisedAt),
            Detail = f.Detail,
            OnRedemption = f.OnRedemption.ToWire(),
        }));
        if (!lotsAndHolds)
        {
            return member;
        }

        member.Lots.AddRange(m.Lots.Select(l => new V1.PointsLot
        {
            EarnedAt = Timestamp.FromDateTimeOffset(l.EarnedAt),
            ExpiresAt = Timestamp.FromDateTimeOffset(l.ExpiresAt),
            Remaining = l.Remaining,
            AvailableAt = Timestamp.FromDateTimeOffset(l.AvailableAt),
        }));
        member.Holds.AddRange(m.Holds.Select(h => new V1.RedemptionHold
        {
            HoldId = h.HoldId,
            Points = h.Points,
            ExpiresAt = Timestamp.FromDateTimeOffset(h.ExpiresAt),
            StoreId = h.StoreId,
            TerminalId = h.TerminalId,
            NeedsReview = h.NeedsReview,
        }));
        return member;
    }

    public static V1.MemberView ToWire(this ScreenViewInfo v)
    {
        var view = new V1.MemberView
        {
            MaskedMemberId = v.MaskedMemberId,
            Version = v.Version,
            AsOf = Timestamp.FromDateTimeOffset(v.AsOf),
            Personalised = v.Personalised,
            Balance = v.Balance,
            Available = v.Available,
            Tier = v.Tier.ToWire(),
            ExpiringSoon = new V1.ExpiringPoints { Points = v.ExpiringSoon.Points, FirstExpiresAt = Time(v.ExpiringSoon.FirstExpiresAt) },
            ProgramVersion = v.ProgramVersion,
            Lifecycle = v.Lifecycle.ToWire(),
        };
        view.Offers.AddRange(v.Offers.Select(o => new V1.ScreenOffer
        {
            OfferId = o.OfferId,
            Title = o.Title.ToWire(),
            Reason = o.Reason.ToWire(),
            ReasonCode = o.ReasonCode,
            Kind = o.Kind,
            ValueFen = o.ValueFen,
            ValidUntil = Time(o.ValidUntil),
            CouponId = o.CouponId ?? string.Empty,
            AvailableFrom = Time(o.AvailableFrom),
        }));
        view.Reminders.AddRange(v.Reminders.Select(r => new V1.Reminder
        {
            Category = r.Category,
            UsualIntervalDays = r.UsualIntervalDays,
            DaysSinceLast = r.DaysSinceLast,
            DueInDays = r.DueInDays,
            Name = r.Name?.ToWire(),
        }));
        view.AffinityTags.AddRange(v.AffinityTags.Select(t => t.ToWire()));
        return view;
    }

    internal static V1.MemberViewUpdate ToWire(this Screens.ScreenUpdate u) => u.View is { } view
        ? new V1.MemberViewUpdate { View = view.ToWire() }
        : new V1.MemberViewUpdate { Heartbeat = new V1.Heartbeat { Version = u.Version, At = Timestamp.FromDateTimeOffset(u.At) } };

    /// <summary>Why a ledger row moved points, as history shows it.</summary>
    public static string HistoryReason(string ledgerKind) => ledgerKind switch
    {
        nameof(LedgerKind.Enrollment) => "ENROLMENT",
        nameof(LedgerKind.Earn) => "PURCHASE",
        nameof(LedgerKind.Activity) => "ACTIVITY",
        nameof(LedgerKind.Redeem) => "REDEMPTION",
        nameof(LedgerKind.RefundClawback) => "REFUND",
        nameof(LedgerKind.Expire) => "EXPIRY",
        nameof(LedgerKind.DebtRecovery) => "DEBT_RECOVERY",
        nameof(LedgerKind.Offer) => "OFFER",
        _ => ledgerKind.ToUpperInvariant(),
    };

    /// <summary>A decimal as the wire spells it: invariant culture, no exponent, no trailing zeros ("1.5", "10").</summary>
    public static string Decimal(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);

    private static V1.EarnBreakdown ToWire(this EarningDetails e)
    {
        var earning = new V1.EarnBreakdown
        {
            EligibleFen = e.EligibleFen,
            PointsPerUnit = Decimal(e.PointsPerUnit),
            TierMultiplier = Decimal(e.TierMultiplier),
            BirthdayMultiplier = Decimal(e.BirthdayMultiplier),
            RatePoints = e.RatePoints,
            BonusPoints = e.BonusPoints,
            CapReached = e.CapReached,
        };
        earning.Campaigns.AddRange(e.Campaigns);
        return earning;
    }

    private static V1.LocalizedText ToWire(this LocalizedTextInfo t) => new() { En = t.En, ZhCn = t.ZhCn };

    private static V1.AppliedOffer ToWire(AppliedOfferInfo o) => new()
    {
        OfferId = o.OfferId,
        Kind = o.Kind,
        Title = o.Title.ToWire(),
        DiscountFen = o.DiscountFen,
        BonusPoints = o.BonusPoints,
        Multiplier = Decimal(o.Multiplier),
        Gift = o.Gift?.ToWire(),
        Applications = o.Applications,
        CouponId = o.CouponId ?? string.Empty,
        IssuedCouponId = o.IssuedCouponId ?? string.Empty,
    };

    private static V1.OfferDecision ToWire(OfferDecisionInfo d) => new()
    {
        OfferId = d.OfferId,
        Kind = d.Kind,
        Code = d.Code,
        Detail = d.Detail,
        CouponId = d.CouponId ?? string.Empty,
    };

    /// <summary>Coupon ids as the grains receive them (NFC; null: none presented); the account checks count and form (field coupon_ids[i]).</summary>
    private static string[]? ToDomain(this Google.Protobuf.Collections.RepeatedField<string> couponIds) =>
        couponIds.Count == 0 ? null : [.. couponIds.Select(N)];

    private static V1.TierStatus ToWire(this TierProgress t)
    {
        var status = new V1.TierStatus
        {
            Tier = t.Tier.ToWire(),
            DiscountPercent = Decimal(t.DiscountPercent),
            EarnMultiplier = Decimal(t.EarnMultiplier),
            QualifyingSpendFen = t.QualifyingSpendFen,
            NextTier = t.NextTier?.ToWire() ?? V1.Tier.Unspecified,
            SpendToNextTierFen = t.SpendToNextTierFen,
        };
        status.Perks.AddRange(t.Perks);
        return status;
    }

    private static V1.Rfm ToWire(this RfmInfo r)
    {
        var rfm = new V1.Rfm
        {
            Frequency = r.Frequency,
            MonetaryFen = r.MonetaryFen,
            RecencyScore = r.RecencyScore,
            FrequencyScore = r.FrequencyScore,
            MonetaryScore = r.MonetaryScore,
        };
        if (r.RecencyDays is { } days)
        {
            rfm.RecencyDays = days;
        }

        return rfm;
    }

    private static PurchaseLine[] ToDomain(this IEnumerable<V1.PurchaseLine> lines) =>
        [.. lines.Select(l => new PurchaseLine(N(l.Sku), N(l.Category), l.Quantity, l.AmountFen, l.Promoted))];

    private static V1.Tier ToWire(this MemberTier tier) => tier switch
    {
        MemberTier.Regular => V1.Tier.Regular,
        MemberTier.Silver => V1.Tier.Silver,
        MemberTier.Gold => V1.Tier.Gold,
        MemberTier.Platinum => V1.Tier.Platinum,
        _ => V1.Tier.Unspecified,
    };

    private static V1.Decision ToWire(this RedemptionVerdict decision) => decision switch
    {
        RedemptionVerdict.Approve => V1.Decision.Approve,
        RedemptionVerdict.Review => V1.Decision.Review,
        RedemptionVerdict.Decline => V1.Decision.Decline,
        _ => V1.Decision.Unspecified,
    };

    private static V1.LifecycleStage ToWire(this MemberLifecycle stage) => stage switch
    {
        MemberLifecycle.Prospect => V1.LifecycleStage.Prospect,
        MemberLifecycle.New => V1.LifecycleStage.New,
        MemberLifecycle.Active => V1.LifecycleStage.Active,
        MemberLifecycle.Loyal => V1.LifecycleStage.Loyal,
        MemberLifecycle.AtRisk => V1.LifecycleStage.AtRisk,
        MemberLifecycle.Churned => V1.LifecycleStage.Churned,
        _ => V1.LifecycleStage.Unspecified,
    };

    /// <summary>A timestamp field as an instant, or null when not given; one outside the protobuf Timestamp range is refused.</summary>
    private static DateTimeOffset? Instant(string field, Timestamp? value)
    {
        if (value is null)
        {
            return null;
        }

        // Timestamp's own limits: years 1 to 9999, nanos below a second.
        if (value.Seconds is < -62_135_596_800L or > 253_402_300_799L || value.Nanos is < 0 or > 999_999_999)
        {
            throw DomainException.Invalid(field, $"{field} is not a valid timestamp (seconds {value.Seconds}, nanos {value.Nanos}).");
        }

        return value.ToDateTimeOffset();
    }

    private static Timestamp? Time(DateTimeOffset? at) => at is { } value ? Timestamp.FromDateTimeOffset(value) : null;

    private static DateOnly? ParseDate(string field, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw DomainException.Invalid(field, $"{field} must be a date written YYYY-MM-DD.");
    }
}
