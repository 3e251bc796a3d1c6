using System.Globalization;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// An offer turned into what a basket check reads quickly: day numbers, bit masks, arrays. Built once
/// per program version (see <see cref="OfferBook"/>); immutable and shared by every member.
/// </summary>
internal sealed class CompiledOffer
{
    private static readonly LocalizedText NoTitle = new() { En = string.Empty, ZhCn = string.Empty };

    public CompiledOffer(Offer offer, IReadOnlyDictionary<string, CategoryRule> categories)
    {
        Source = offer;
        Id = offer.Id ?? string.Empty;
        Kind = offer.Kind;
        Reason = offer.Reason;
        Title = offer.Title ?? NoTitle;
        ReasonText = offer.ReasonText ?? DefaultReasonTexts.For(offer.Reason);
        Personalised = offer.Personalised;
        Stacking = offer.Stacking;
        Priority = offer.Priority;
        FromDay = offer.From?.DayNumber ?? int.MinValue;
        ToDay = offer.To?.DayNumber ?? int.MaxValue;
        ValidDays = offer.ValidDaysAfterEnrollment ?? 0;

        if (offer.Schedule is { } schedule)
        {
            foreach (var day in schedule.DaysOfWeek ?? [])
            {
                WeekdayMask |= 1 << (int)day;
            }

            foreach (var day in schedule.DaysOfMonth ?? [])
            {
                if (day is >= 1 and <= 31)
                {
                    MonthDayMask |= 1L << day;
                }
            }

            if (schedule.TimeFrom is { } from && schedule.TimeTo is { } to)
            {
                TimeFrom = ValidationSemantics.MinuteOfDay(from, allowEndOfDay: false) ?? 0;
                TimeTo = ValidationSemantics.MinuteOfDay(to, allowEndOfDay: true) ?? MinutesPerDay;
            }
        }

        ScheduleText = DescribeSchedule();
        StoresText = string.Join(", ", offer.Target?.StoreIds ?? []);

        var target = offer.Target;
        StoreIds = [.. target?.StoreIds ?? []];
        foreach (var tier in target?.Tiers ?? [])
        {
            TierMask |= 1 << (int)tier;
        }

        MinDaysSinceEnrollment = target?.MinDaysSinceEnrollment ?? -1;
        MaxDaysSinceEnrollment = target?.MaxDaysSinceEnrollment ?? -1;
        Segments = [.. target?.Segments ?? []];
        foreach (var stage in target?.Lifecycle ?? [])
        {
            LifecycleMask |= 1 << (int)stage;
        }

        RiskFlags = [.. target?.RiskFlags ?? []];
        ExcludeRiskFlags = [.. target?.ExcludeRiskFlags ?? []];
        Birthday = target?.Birthday;
        Affinity = [.. (target?.AffinityCategories ?? []).Where(categories.ContainsKey).Select(c => categories[c]).Where(c => c.Affinity is not null)];
        TiersText = string.Join(", ", Enum.GetValues<Tier>().Where(t => (TierMask & (1 << (int)t)) != 0).Select(EnumText<Tier>.Name));
        StagesText = string.Join(", ", Enum.GetValues<LifecycleStage>().Where(s => (LifecycleMask & (1 << (int)s)) != 0).Select(EnumText<LifecycleStage>.Name));
        SegmentsText = string.Join(", ", Segments);
        AffinityText = string.Join(", ", Affinity.Select(c => c.Category));
        HasPersonalTargeting = Segments.Length > 0 || LifecycleMask != 0 || RiskFlags.Length > 0 || ExcludeRiskFlags.Length > 0 || Birthday is not null || Affinity.Length > 0;

        Scope = new LineFilter(offer.Scope?.Categories, offer.Scope?.Skus, offer.Scope?.PromotedOnly ?? false);
        ScopeText = Scope.Describe();
        var basket = offer.Basket;
        MinSpendFen = basket?.MinSpendFen ?? 0;
        BasketLines = new LineFilter(basket?.Categories, basket?.Skus, promotedOnly: false);
        MinQuantity = basket?.MinQuantity ?? (BasketLines.AnyLine ? 0 : 1);
        BasketLinesText = BasketLines.Describe();

        var reward = offer.Reward;
        Steps = [.. (reward?.Steps ?? []).Where(s => s is not null)];
        Percent = reward?.Percent ?? 0;
        BuyQuantity = Math.Max(1, reward?.BuyQuantity ?? 1);
        FreeQuantity = Math.Max(0, reward?.FreeQuantity ?? 0);
        Gift = reward?.Gift;
        Multiplier = reward?.Multiplier ?? 1;
        Points = reward?.Points ?? 0;
        CouponOfferId = reward?.CouponOfferId;

        PerMember = offer.Limits?.PerMember ?? 0;
        Period = offer.Limits?.Period ?? LimitPeriod.Lifetime;
        PeriodText = Period == LimitPeriod.Lifetime ? "ever" : "this " + EnumText<LimitPeriod>.Name(Period);
        PerBasket = Math.Max(1, offer.Limits?.PerBasket ?? 1);
        BudgetUnit = offer.Budget?.Unit;
        Budget = offer.Budget;
        WalletValidDays = offer.Wallet?.ValidDays ?? 0;
        Trigger = offer.IssueOn?.Event;
        TriggerActivity = offer.IssueOn?.Activity;
        TriggerCount = offer.IssueOn?.Count ?? 0;
    }

    public const int MinutesPerDay = 24 * 60;

    public Offer Source { get; }

    public string Id { get; }

    public OfferKind Kind { get; }

    public OfferReason Reason { get; }

    public LocalizedText Title { get; }

    public LocalizedText ReasonText { get; }

    public bool Personalised { get; }

    public OfferStacking Stacking { get; }

    public int Priority { get; }

    /// <summary>First and last day numbers it runs (inclusive).</summary>
    public int FromDay { get; }

    public int ToDay { get; }

    /// <summary>Store-local days after enrolment it runs (day 1 is the enrolment day); 0: no such limit.</summary>
    public int ValidDays { get; }

    /// <summary>Bit (1 &lt;&lt; DayOfWeek) per weekday; 0: every day.</summary>
    public int WeekdayMask { get; }

    /// <summary>Bit (1 &lt;&lt; day) per day of the month; 0: every day.</summary>
    public long MonthDayMask { get; }

    /// <summary>Minutes since midnight: from (included) and to (excluded).</summary>
    public int TimeFrom { get; }

    public int TimeTo { get; } = MinutesPerDay;

    public bool HasSchedule => WeekdayMask != 0 || MonthDayMask != 0 || TimeFrom != 0 || TimeTo != MinutesPerDay;

    /// <summary>"on monday", "on day 10 of the month, from 18:00 to 21:00", for messages.</summary>
    public string ScheduleText { get; }

    public string[] StoreIds { get; }

    /// <summary>Texts of the targeting, scope and limits, for messages (built once).</summary>
    public string StoresText { get; }

    public string TiersText { get; }

    public string StagesText { get; }

    public string SegmentsText { get; }

    public string AffinityText { get; }

    public string ScopeText { get; }

    public string BasketLinesText { get; }

    public string PeriodText { get; }

    /// <summary>Bit (1 &lt;&lt; tier) per tier; 0: every tier.</summary>
    public int TierMask { get; }

    public int MinDaysSinceEnrollment { get; }

    public int MaxDaysSinceEnrollment { get; }

    /// <summary>True when a personalised condition (segment, lifecycle, flags, birthday, affinity) must be read.</summary>
    public bool HasPersonalTargeting { get; }

    public string[] Segments { get; }

    /// <summary>Bit (1 &lt;&lt; stage) per lifecycle stage; 0: any.</summary>
    public int LifecycleMask { get; }

    public string[] RiskFlags { get; }

    public string[] ExcludeRiskFlags { get; }

    public BirthdayWindow? Birthday { get; }

    /// <summary>The categories (with an affinity rule) of which the member must be a frequent buyer.</summary>
    public CategoryRule[] Affinity { get; }

    /// <summary>The lines the reward works on.</summary>
    public LineFilter Scope { get; }

    public long MinSpendFen { get; }

    /// <summary>The lines whose units <see cref="MinQuantity"/> counts.</summary>
    public LineFilter BasketLines { get; }

    /// <summary>Units of <see cref="BasketLines"/> needed; 0: none.</summary>
    public int MinQuantity { get; }

    public AmountStep[] Steps { get; }

    public decimal Percent { get; }

    public int BuyQuantity { get; }

    public int FreeQuantity { get; }

    public LocalizedText? Gift { get; }

    public decimal Multiplier { get; }

    public long Points { get; }

    public string? CouponOfferId { get; }

    /// <summary>Uses per member per <see cref="Period"/>; 0: no limit.</summary>
    public int PerMember { get; }

    public LimitPeriod Period { get; }

    public int PerBasket { get; }

    public BudgetUnit? BudgetUnit { get; }

    /// <summary>The campaign budget, if the offer has one.</summary>
    public BudgetRule? Budget { get; }

    /// <summary>Days a coupon issued from this template is valid; 0: not a template.</summary>
    public int WalletValidDays { get; }

    public bool IsTemplate => WalletValidDays > 0;

    public TriggerEvent? Trigger { get; }

    public string? TriggerActivity { get; }

    public int TriggerCount { get; }

    /// <summary>Applies at the till by itself: neither a coupon template nor issued by an event.</summary>
    public bool AtTill => !IsTemplate && Trigger is null;

    /// <summary>Estimated value to a member in fen, for screens (set by <see cref="OfferBook"/>).</summary>
    public long EstimatedValueFen { get; set; }

    /// <summary>Whether the offer runs on a store-local date at a minute of the day (schedule only).</summary>
    public bool RunsAt(DateOnly date, int minute) =>
        (WeekdayMask == 0 || (WeekdayMask & (1 << (int)date.DayOfWeek)) != 0)
        && (MonthDayMask == 0 || (MonthDayMask & (1L << date.Day)) != 0)
        && minute >= TimeFrom && minute < TimeTo;

    private string DescribeSchedule()
    {
        var parts = new List<string>();
        if (WeekdayMask != 0)
        {
            var days = Enum.GetValues<DayOfWeek>().Where(d => (WeekdayMask & (1 << (int)d)) != 0).Select(EnumText<DayOfWeek>.Name);
            parts.Add("on " + string.Join(", ", days));
        }

        if (MonthDayMask != 0)
        {
            var days = Enumerable.Range(1, 31).Where(d => (MonthDayMask & (1L << d)) != 0).Select(d => d.ToString(CultureInfo.InvariantCulture));
            parts.Add("on day " + string.Join(", ", days) + " of the month");
        }

        if (TimeFrom != 0 || TimeTo != MinutesPerDay)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"from {TimeFrom / 60:00}:{TimeFrom % 60:00} to {TimeTo / 60:00}:{TimeTo % 60:00}"));
        }

        return parts.Count == 0 ? "every day" : string.Join(", ", parts);
    }
}
