using System.Globalization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>What the program reads from a member: RFM, segment, lifecycle, risk flags and the view screens and tills get.</summary>
public sealed partial class MemberAccount
{
    /// <summary>The member as of <paramref name="now"/>: expired lots not counted, due tier reviews applied, insights computed. Changes nothing.</summary>
    public MemberView View(DateTimeOffset now) => View(now, withLotsAndHolds: true);

    /// <summary>
    /// The member as of <paramref name="now"/>; without <paramref name="withLotsAndHolds"/> the
    /// view's lots and holds are left empty (a till or screen that shows only totals does not pay
    /// for listing them).
    /// </summary>
    public MemberView View(DateTimeOffset now, bool withLotsAndHolds)
    {
        var rules = Rules;
        var held = HeldAt(now);
        var balance = BalanceAt(now);
        var pending = PendingAt(now);
        var tier = ReviewTier(rules, now).Tier;
        var rfm = Rfm(rules, now);
        return new MemberView(
            State.MemberId,
            State.EnrolledAt,
            State.Birthday,
            State.HomeStoreId,
            State.MarketingConsent,
            State.PersonalisationConsent,
            TierStatusOf(rules, tier, now),
            balance,
            held,
            pending,
            balance - held - pending,
            State.Debt,
            State.Owed,
            State.LifetimeSpendFen,
            State.FirstPurchaseAt,
            State.LastPurchaseAt,
            State.PurchaseCount,
            rfm,
            Segment(rules, rfm, now),
            Lifecycle(rules, rfm, now),
            Flags(rules, now),
            ExpiringSoon(rules, now),
            withLotsAndHolds ? LotViews(now) : [],
            withLotsAndHolds ? HoldViews(now) : [],
            rules.Version,
            now);
    }

    private List<LotView> LotViews(DateTimeOffset now)
    {
        var views = new List<LotView>(State.Lots.Count);
        foreach (var l in State.Lots)
        {
            if (l.Remaining > 0 && l.ExpiresAt > now)
            {
                views.Add(new LotView(l.EarnedAt, l.ExpiresAt, l.Remaining, l.AvailableAt));
            }
        }

        return views;
    }

    private List<HoldView> HoldViews(DateTimeOffset now)
    {
        var views = new List<HoldView>();
        foreach (var h in State.Holds.Values)
        {
            if (h.HoldsAt(now))
            {
                views.Add(new HoldView(h.HoldId, h.Points, h.ExpiresAt, h.StoreId, h.TerminalId, h.ReviewReasons.Count > 0));
            }
        }

        return views;
    }

    /// <summary>
    /// Until when what <see cref="View(DateTimeOffset)"/> and <see cref="ScreenView"/> show at <paramref name="now"/>
    /// stays the same if the state and the program do not change: the next minute (days, months,
    /// offers' time windows and the program's day counts turn on minutes), or an earlier instant at
    /// which a lot becomes available, enters the expiring-soon window or expires, a hold lapses or a
    /// risk flag ends. Lets a reader cache a view per state version.
    /// </summary>
    public DateTimeOffset ViewValidUntil(DateTimeOffset now)
    {
        var until = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        var soon = TimeSpan.FromDays(Rules.Document.Expiry.ExpiringSoonDays);
        foreach (var lot in State.Lots)
        {
            Consider(lot.AvailableAt);
            Consider(lot.ExpiresAt);
            Consider(lot.ExpiresAt - soon);
        }

        foreach (var hold in State.Holds.Values)
        {
            Consider(hold.ExpiresAt);
        }

        foreach (var flag in State.Flags)
        {
            Consider(flag.ExpiresAt);
        }

        foreach (var coupon in State.Wallet)
        {
            Consider(coupon.ExpiresAt);
        }

        return until;

        void Consider(DateTimeOffset at)
        {
            if (at > now && at < until)
            {
                until = at;
            }
        }
    }

    /// <summary>The member's tier (<paramref name="tier"/>, reviews applied), its benefits and the way to the next one.</summary>
    private TierStatus TierStatusOf(ProgramRules rules, Tier tier, DateTimeOffset now)
    {
        var level = rules.Level(tier);
        var qualifying = QualifyingSpend(rules, now);
        var next = rules.NextLevel(tier);
        return new TierStatus(tier, level.DiscountPercent, level.EarnMultiplier, level.Perks, qualifying, next?.Tier, next is null ? 0 : Math.Max(0, next.MinSpendFen - qualifying));
    }

    /// <summary>Recency, frequency, monetary value over the program's window, and their scores.</summary>
    private RfmView Rfm(ProgramRules rules, DateTimeOffset now)
    {
        var rfm = rules.Document.Rfm;
        var window = Totals(rules, now, rfm.WindowMonths);
        var frequency = window.Purchases;
        var monetary = window.NetFen;
        if (State.LastPurchaseAt is not { } last)
        {
            return new RfmView(null, frequency, monetary, 0, 0, 0);
        }

        var recency = Math.Max(0, rules.DaysBetween(last, now));
        var recencyScore = 5 - Passed(rfm.RecencyDays, recency, inclusive: false);
        var frequencyScore = 1 + Passed(rfm.FrequencyPurchases, frequency, inclusive: true);
        var monetaryScore = 1 + Passed(rfm.MonetaryFen, monetary, inclusive: true);
        return new RfmView(recency, frequency, monetary, recencyScore, frequencyScore, monetaryScore);

        // How many of the breakpoints the value has reached (inclusive) or gone beyond.
        static int Passed<T>(IReadOnlyList<T> limits, T value, bool inclusive)
            where T : IComparable<T>
        {
            var passed = 0;
            for (var i = 0; i < limits.Count; i++)
            {
                var order = value.CompareTo(limits[i]);
                if (order > 0 || (inclusive && order == 0))
                {
                    passed++;
                }
            }

            return passed;
        }
    }

    /// <summary>The first program segment whose conditions all hold; empty before the first purchase.</summary>
    private string Segment(ProgramRules rules, RfmView rfm, DateTimeOffset now)
    {
        if (State.FirstPurchaseAt is not { } first)
        {
            return string.Empty;
        }

        var sinceFirst = rules.DaysBetween(first, now);
        foreach (var segment in rules.Document.Segments)
        {
            if (Within(rfm.RecencyScore, segment.MinRecency, segment.MaxRecency)
                && Within(rfm.FrequencyScore, segment.MinFrequency, segment.MaxFrequency)
                && Within(rfm.MonetaryScore, segment.MinMonetary, segment.MaxMonetary)
                && (segment.MaxDaysSinceFirstPurchase is null || sinceFirst <= segment.MaxDaysSinceFirstPurchase))
            {
                return segment.Name;
            }
        }

        return rules.Document.DefaultSegment;

        static bool Within(int score, int? min, int? max) => (min is null || score >= min) && (max is null || score <= max);
    }

    private LifecycleStage Lifecycle(ProgramRules rules, RfmView rfm, DateTimeOffset now)
    {
        if (State.LastPurchaseAt is not { } last || State.FirstPurchaseAt is not { } first)
        {
            return LifecycleStage.Prospect;
        }

        var stages = rules.Document.Lifecycle;
        var silent = rules.DaysBetween(last, now);
        if (silent >= stages.ChurnedAfterDays)
        {
            return LifecycleStage.Churned;
        }

        if (silent >= stages.AtRiskAfterDays)
        {
            return LifecycleStage.AtRisk;
        }

        if (rules.DaysBetween(first, now) <= stages.NewDays && State.PurchaseCount <= stages.NewMaxPurchases)
        {
            return LifecycleStage.New;
        }

        return rfm.FrequencyScore >= stages.LoyalMinScore && rfm.MonetaryScore >= stages.LoyalMinScore ? LifecycleStage.Loyal : LifecycleStage.Active;
    }

    /// <summary>Churn risk: silent for the rule's days after at least its number of purchases in the lookback before the last one.</summary>
    private bool ChurnRisk(ProgramRules rules, DateTimeOffset now)
    {
        var rule = rules.Risk.ChurnRisk;
        return State.LastPurchaseAt is { } last
            && rules.DaysBetween(last, now) >= rule.SilentDays
            && PurchasesBefore(last, rule.LookbackDays) >= rule.MinPurchases;
    }

    /// <summary>Every risk flag standing at <paramref name="now"/>: those raised by events and those read from the member's history.</summary>
    private List<FlagView> Flags(ProgramRules rules, DateTimeOffset now)
    {
        var risk = rules.Risk;
        var flags = new List<FlagView>();
        foreach (var flag in State.Flags)
        {
            if (flag.ExpiresAt <= now)
            {
                continue;
            }

            var action = flag.Code switch
            {
                RiskCodes.DailyCapReached => risk.DailyCap.OnRedemption,
                RiskCodes.Velocity => risk.Velocity.OnRedemption,
                _ => RiskAction.Allow,
            };
            flags.Add(new FlagView(flag.Code, flag.RaisedAt, flag.Detail, ToDecision(action)));
        }

        if (ChurnRisk(rules, now) && State.LastPurchaseAt is { } last)
        {
            flags.Add(new FlagView(RiskCodes.ChurnRisk, rules.StartOf(rules.LocalDate(last).AddDays(risk.ChurnRisk.SilentDays)), $"No purchase for {rules.DaysBetween(last, now)} days after a frequent spell.", ToDecision(risk.ChurnRisk.OnRedemption)));
        }

        var window = Totals(rules, now, rules.Document.Rfm.WindowMonths);
        var purchases = window.Purchases;
        var gross = window.GrossFen;
        var refunded = window.RefundedFen;
        if (purchases >= risk.RefundAbuse.MinPurchases && gross > 0 && refunded * 100m / gross > risk.RefundAbuse.MaxRefundedPercent)
        {
            flags.Add(new FlagView(RiskCodes.RefundAbuse, now, string.Create(CultureInfo.InvariantCulture, $"{refunded * 100m / gross:0.#}% of the spend in the window was refunded."), ToDecision(risk.RefundAbuse.OnRedemption)));
        }

        var promotionOnly = window.PromotionOnlyPurchases;
        if (purchases >= risk.PromotionOnly.MinPurchases && promotionOnly * 100m / purchases >= risk.PromotionOnly.MinPromotionPercent)
        {
            flags.Add(new FlagView(RiskCodes.PromotionOnly, now, $"{promotionOnly} of {purchases} purchases were of promoted lines only.", ToDecision(risk.PromotionOnly.OnRedemption)));
        }

        return flags;
    }

    /// <summary>The decision on redeeming <paramref name="points"/> now: the strictest action among the standing flags and the redemption's own signals.</summary>
    private (RedemptionDecision Decision, List<string> Reasons) Decide(ProgramRules rules, long points, DateTimeOffset now)
    {
        var risk = rules.Risk;
        var flags = Flags(rules, now);
        var signals = new List<(string Code, RedemptionDecision OnRedemption)>(flags.Count + 2);
        foreach (var flag in flags)
        {
            signals.Add((flag.Code, flag.OnRedemption));
        }

        var lastActive = Latest(Latest(State.EnrolledAt, State.LastPurchaseAt), State.LastRedemptionAt);
        if (points >= risk.DormantRedemption.MinPoints && rules.DaysBetween(lastActive, now) >= risk.DormantRedemption.DormantDays)
        {
            signals.Add((RiskCodes.DormantRedemption, ToDecision(risk.DormantRedemption.OnRedemption)));
        }

        if (points >= risk.NewMemberRedemption.MinPoints && now - State.EnrolledAt < TimeSpan.FromHours(risk.NewMemberRedemption.WithinHours))
        {
            signals.Add((RiskCodes.NewMemberRedemption, ToDecision(risk.NewMemberRedemption.OnRedemption)));
        }

        var decision = RedemptionDecision.Approve;
        foreach (var signal in signals)
        {
            decision = signal.OnRedemption > decision ? signal.OnRedemption : decision;
        }

        var reasons = new List<string>();
        if (decision != RedemptionDecision.Approve)
        {
            foreach (var signal in signals)
            {
                if (signal.OnRedemption == decision && !reasons.Contains(signal.Code))
                {
                    reasons.Add(signal.Code);
                }
            }
        }

        return (decision, reasons);

        static DateTimeOffset Latest(DateTimeOffset at, DateTimeOffset? other) => other is { } o && o > at ? o : at;
    }

    /// <summary>Points expiring within the program's notice window.</summary>
    private ExpiringPoints ExpiringSoon(ProgramRules rules, DateTimeOffset now)
    {
        var until = now + TimeSpan.FromDays(rules.Document.Expiry.ExpiringSoonDays);
        var points = 0L;
        DateTimeOffset? first = null;
        foreach (var lot in State.Lots)
        {
            if (lot.Remaining > 0 && lot.ExpiresAt > now && lot.ExpiresAt <= until)
            {
                points += lot.Remaining;
                first = first is { } f && f <= lot.ExpiresAt ? f : lot.ExpiresAt;
            }
        }

        return new ExpiringPoints(points, first);
    }

    private static RedemptionDecision ToDecision(RiskAction action) => action switch
    {
        RiskAction.Review => RedemptionDecision.Review,
        RiskAction.Decline => RedemptionDecision.Decline,
        _ => RedemptionDecision.Approve,
    };
}
