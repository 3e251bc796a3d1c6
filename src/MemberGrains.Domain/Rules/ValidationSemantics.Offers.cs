using System.Globalization;
using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain.Rules;

/// <summary>The rule pass over <c>categories</c> and <c>offers</c>: ranges, references between offers, and offers that could never apply.</summary>
internal static partial class ValidationSemantics
{
    public const int MaxOffers = 200;
    public const int MaxCategories = 500;
    public const int MaxTextLength = 200;
    public const int MaxOfferPriority = 1_000_000;
    public const int MaxOfferDays = 3650;
    public const int MaxRemindDays = 365;
    public const decimal MaxOfferMultiplier = 100m;
    public const long MaxOfferPoints = 1_000_000_000;

    /// <summary>Risk flags that can stand on a member (the redemption signals only exist during a redemption).</summary>
    private static readonly string[] StandingFlags =
        [RiskCodes.ChurnRisk, RiskCodes.DailyCapReached, RiskCodes.Velocity, RiskCodes.RefundAbuse, RiskCodes.PromotionOnly];

    /// <summary>Checks the category list; returns the categories by name (only well-formed ones).</summary>
    private static Dictionary<string, CategoryRule> CheckCategories(IReadOnlyList<CategoryRule>? categories, ValidationPath path, ValidationReport report)
    {
        var known = new Dictionary<string, CategoryRule>(StringComparer.Ordinal);
        if (categories is null)
        {
            return known;
        }

        if (categories.Count > MaxCategories)
        {
            report.Add(path, $"{path} has {categories.Count} categories; at most {MaxCategories} are allowed.");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < categories.Count; i++)
        {
            var item = path.Item(i);
            if (!report.Present(item, categories[i]))
            {
                continue;
            }

            var category = categories[i];
            var name = item.Member(nameof(CategoryRule.Category));
            if (report.Present(name, category.Category))
            {
                var before = seen.Count;
                Unique(report, path, name, i, category.Category, seen, nameof(CategoryRule.Category), "category");
                if (seen.Count > before)
                {
                    known[category.Category] = category;
                }
            }

            Text(report, item.Member(nameof(CategoryRule.Name)), category.Name);
            if (category.Affinity is { } affinity)
            {
                var at = item.Member(nameof(CategoryRule.Affinity));
                report.Between(at.Member(nameof(AffinityRule.MinPurchases)), affinity.MinPurchases, 1, CategoryStats.TimesKept, "purchases", $"a member keeps the times of their last {CategoryStats.TimesKept} purchases of a category.");
                report.Between(at.Member(nameof(AffinityRule.WithinDays)), affinity.WithinDays, 1, MaxOfferDays, "days");
                Text(report, at.Member(nameof(AffinityRule.Tag)), affinity.Tag);
            }

            if (category.Replenish is { } replenish)
            {
                var at = item.Member(nameof(CategoryRule.Replenish));
                report.Between(at.Member(nameof(ReplenishRule.MinPurchases)), replenish.MinPurchases, 2, CategoryStats.TimesKept, "purchases", "an interval needs two purchases at least, and a member keeps the times of the last few.");
                report.Between(at.Member(nameof(ReplenishRule.RemindWithinDays)), replenish.RemindWithinDays, 0, MaxRemindDays, "days");
            }
        }

        return known;
    }

    private static void CheckOffers(LoyaltyProgram program, Dictionary<string, CategoryRule> categories, ValidationReport report)
    {
        var path = ValidationPath.Root.Member(nameof(LoyaltyProgram.Offers));
        var offers = program.Offers;
        if (offers is null)
        {
            return;
        }

        if (offers.Count > MaxOffers)
        {
            report.Add(path, $"{path} has {offers.Count} offers; at most {MaxOffers} are allowed (each basket is checked against all of them).");
        }

        // Ids first, so references between offers (coupon → template) can be checked in any order.
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < offers.Count; i++)
        {
            var id = path.Item(i).Member(nameof(Offer.Id));
            if (report.Present(path.Item(i), offers[i]) && report.Present(id, offers[i].Id))
            {
                Unique(report, path, id, i, offers[i].Id, ids, nameof(Offer.Id), "offer id");
            }
        }

        var issued = new HashSet<string>(StringComparer.Ordinal);
        foreach (var offer in offers)
        {
            if (offer is { Kind: OfferKind.Coupon, Reward.CouponOfferId: { } template })
            {
                issued.Add(template);
            }
        }

        var exclusive = new Dictionary<int, int>();
        for (var i = 0; i < offers.Count; i++)
        {
            if (offers[i] is not { } offer)
            {
                continue;
            }

            var item = path.Item(i);
            CheckOffer(program, offer, item, offers, ids, issued, categories, report);
            if (offer.Stacking == OfferStacking.Exclusive && offer.IssueOn is null)
            {
                var priority = item.Member(nameof(Offer.Priority));
                if (exclusive.TryGetValue(offer.Priority, out var first))
                {
                    var firstPriority = path.Item(first).Member(nameof(Offer.Priority));
                    report.Add(priority, $"{priority} is {offer.Priority}, the same as {firstPriority}, and both offers are exclusive: when both apply neither could win. Give exclusive offers different priorities.", firstPriority, item.Member(nameof(Offer.Stacking)), path.Item(first).Member(nameof(Offer.Stacking)));
                }
                else
                {
                    exclusive[offer.Priority] = i;
                }
            }
        }
    }

    private static void CheckOffer(
        LoyaltyProgram program,
        Offer offer,
        ValidationPath item,
        IReadOnlyList<Offer> offers,
        Dictionary<string, int> ids,
        HashSet<string> issued,
        Dictionary<string, CategoryRule> categories,
        ValidationReport report)
    {
        var kind = item.Member(nameof(Offer.Kind));
        report.Defined(kind, offer.Kind);
        report.Defined(item.Member(nameof(Offer.Reason)), offer.Reason);
        report.Defined(item.Member(nameof(Offer.Stacking)), offer.Stacking);
        Text(report, item.Member(nameof(Offer.Title)), offer.Title);
        if (offer.ReasonText is not null)
        {
            Text(report, item.Member(nameof(Offer.ReasonText)), offer.ReasonText);
        }

        report.Between(item.Member(nameof(Offer.Priority)), offer.Priority, 0, MaxOfferPriority, why: "Higher priorities stack first and win ties.");

        var from = item.Member(nameof(Offer.From));
        var to = item.Member(nameof(Offer.To));
        if (offer.From is { } start && offer.To is { } end && end < start)
        {
            report.Add(to, $"{to} is {end:yyyy-MM-dd}, before {from} ({start:yyyy-MM-dd}); an offer must end on or after the day it starts (both days count).", from);
        }

        var validDays = item.Member(nameof(Offer.ValidDaysAfterEnrollment));
        if (offer.ValidDaysAfterEnrollment is { } days)
        {
            report.Between(validDays, days, 1, MaxOfferDays, "days", "The enrolment day is day 1.");
        }

        if (offer.Schedule is { } schedule)
        {
            CheckSchedule(schedule, item.Member(nameof(Offer.Schedule)), report);
        }

        if (offer.Target is { } target)
        {
            CheckTarget(program, offer, target, item, categories, report);
        }

        if (offer.Scope is { } scope)
        {
            var at = item.Member(nameof(Offer.Scope));
            Categories(report, at.Member(nameof(OfferScope.Categories)), scope.Categories, categories, needAffinity: false);
            NonEmptyEntries(report, at.Member(nameof(OfferScope.Skus)), scope.Skus ?? [], "sku");
        }

        if (offer.Basket is { } basket)
        {
            var at = item.Member(nameof(Offer.Basket));
            if (basket.MinSpendFen is { } minSpend)
            {
                report.Positive(at.Member(nameof(BasketCondition.MinSpendFen)), minSpend, "Leave it out for no minimum.");
            }

            Categories(report, at.Member(nameof(BasketCondition.Categories)), basket.Categories, categories, needAffinity: false);
            NonEmptyEntries(report, at.Member(nameof(BasketCondition.Skus)), basket.Skus ?? [], "sku");
            if (basket.MinQuantity is { } quantity)
            {
                report.Positive(at.Member(nameof(BasketCondition.MinQuantity)), quantity);
            }
        }

        if (report.Present(item.Member(nameof(Offer.Reward)), offer.Reward) && Enum.IsDefined(offer.Kind))
        {
            CheckReward(offer, item, offers, ids, report);
        }

        CheckLimits(offer, item, report);

        if (offer.Budget is { } budget)
        {
            var at = item.Member(nameof(Offer.Budget));
            var unit = at.Member(nameof(BudgetRule.Unit));
            report.Defined(unit, budget.Unit);
            report.Positive(at.Member(nameof(BudgetRule.Total)), budget.Total, "A budget can't be negative, and one of 0 could never pay out; remove the offer or the budget instead.");
            var fits = budget.Unit switch
            {
                BudgetUnit.DiscountFen => offer.Kind is OfferKind.AmountOff or OfferKind.PercentOff || (offer.Kind == OfferKind.BuyXGetY && offer.Reward?.FreeQuantity is not null),
                BudgetUnit.Points => offer.Kind is OfferKind.PointsMultiplier or OfferKind.BonusPoints,
                _ => true,
            };
            if (!fits && Enum.IsDefined(budget.Unit))
            {
                report.Add(unit, $"{unit} is {ValidationStructure.EnumName(budget.Unit)}, but a {ValidationStructure.EnumName(offer.Kind)} offer gives no {(budget.Unit == BudgetUnit.Points ? "points" : "discount")}, so the budget would never be used; count uses instead.", kind);
            }
        }

        var wallet = item.Member(nameof(Offer.Wallet));
        if (offer.Wallet is { } terms)
        {
            report.Between(wallet.Member(nameof(WalletTerms.ValidDays)), terms.ValidDays, 1, MaxOfferDays, "days", "The issue day is day 1.");
            if (offer.Kind == OfferKind.Coupon)
            {
                report.Add(wallet, $"{wallet} makes a coupon offer a coupon template; a coupon can't issue coupons. Give the template another kind (amountOff, percentOff …).", kind);
            }
            else if (offer.IssueOn is not null)
            {
                report.Add(item.Member(nameof(Offer.IssueOn)), $"{item.Member(nameof(Offer.IssueOn))} is set on a coupon template; templates are issued by coupon offers, so put issueOn on the coupon offer that names this one.", wallet);
            }
            else if (offer.Id is { } id && !issued.Contains(id))
            {
                report.Add(wallet, $"{wallet} makes {Quote(id)} a coupon template, but no coupon offer issues it (reward.couponOfferId), so no member could ever hold one; add a coupon offer or remove {wallet}.");
            }
        }

        var issueOn = item.Member(nameof(Offer.IssueOn));
        if (offer.IssueOn is { } trigger)
        {
            if (offer.Kind != OfferKind.Coupon)
            {
                report.Add(issueOn, $"{issueOn} is only for coupon offers (kind coupon); a {ValidationStructure.EnumName(offer.Kind)} offer applies at the till.", kind);
            }

            var eventPath = issueOn.Member(nameof(OfferTrigger.Event));
            report.Defined(eventPath, trigger.Event);
            var activity = issueOn.Member(nameof(OfferTrigger.Activity));
            var count = issueOn.Member(nameof(OfferTrigger.Count));
            if (trigger.Event == TriggerEvent.ActivityCount)
            {
                if (trigger.Activity is null)
                {
                    report.Add(activity, $"{activity} is missing; name the activity whose count issues the coupon (one of the program's activities).", eventPath);
                }
                else if (program.Activities is { } known && known.All(a => a?.Kind is not null) && !known.Any(a => string.Equals(a.Kind, trigger.Activity, StringComparison.Ordinal)))
                {
                    var activities = ValidationPath.Root.Member(nameof(LoyaltyProgram.Activities));
                    report.Add(activity, $"{activity} is {Quote(trigger.Activity)}, which is not one of the program's activities, so it could never be counted.", activities);
                }

                if (trigger.Count is not { } times)
                {
                    report.Add(count, $"{count} is missing; give the number of recordings that issues the coupon.", eventPath);
                }
                else
                {
                    report.Positive(count, times);
                }
            }
            else if (Enum.IsDefined(trigger.Event))
            {
                if (trigger.Activity is not null)
                {
                    report.Add(activity, $"{activity} is only used with the activityCount event; remove it.", eventPath);
                }

                if (trigger.Count is not null)
                {
                    report.Add(count, $"{count} is only used with the activityCount event; remove it.", eventPath);
                }
            }
        }
    }

    private static void CheckSchedule(OfferSchedule schedule, ValidationPath path, ValidationReport report)
    {
        if (schedule.DaysOfWeek is { } weekdays)
        {
            var days = path.Member(nameof(OfferSchedule.DaysOfWeek));
            var seen = new Dictionary<DayOfWeek, int>();
            for (var d = 0; d < weekdays.Count; d++)
            {
                var day = days.Item(d);
                report.Defined(day, weekdays[d]);
                if (seen.TryGetValue(weekdays[d], out var first))
                {
                    report.Add(day, $"{day} repeats {ValidationStructure.EnumName(weekdays[d])}, already listed at {days.Item(first)}; list each day once.", days.Item(first));
                }
                else
                {
                    seen[weekdays[d]] = d;
                }
            }
        }

        if (schedule.DaysOfMonth is { } monthDays)
        {
            var days = path.Member(nameof(OfferSchedule.DaysOfMonth));
            var seen = new Dictionary<int, int>();
            for (var d = 0; d < monthDays.Count; d++)
            {
                var day = days.Item(d);
                report.Between(day, monthDays[d], 1, 31, why: "It is a day of the month.");
                if (seen.TryGetValue(monthDays[d], out var first))
                {
                    report.Add(day, $"{day} repeats {monthDays[d]}, already listed at {days.Item(first)}; list each day once.", days.Item(first));
                }
                else
                {
                    seen[monthDays[d]] = d;
                }
            }
        }

        var fromPath = path.Member(nameof(OfferSchedule.TimeFrom));
        var toPath = path.Member(nameof(OfferSchedule.TimeTo));
        int? from = null, to = null;
        if (schedule.TimeFrom is { } fromText)
        {
            from = MinuteOfDay(fromText, allowEndOfDay: false);
            if (from is null)
            {
                report.Add(fromPath, $"{fromPath} is {Quote(fromText)}; write a time of day as HH:mm, from 00:00 to 23:59.");
            }
        }

        if (schedule.TimeTo is { } toText)
        {
            to = MinuteOfDay(toText, allowEndOfDay: true);
            if (to is null)
            {
                report.Add(toPath, $"{toPath} is {Quote(toText)}; write a time of day as HH:mm, from 00:01 to 24:00 (the end of the day).");
            }
        }

        if ((schedule.TimeFrom is null) != (schedule.TimeTo is null))
        {
            var (given, missing) = schedule.TimeFrom is null ? (toPath, fromPath) : (fromPath, toPath);
            report.Add(missing, $"{missing} is missing but {given} is given; a time window needs both ends.", given);
        }
        else if (from is { } start && to is { } end && end <= start)
        {
            report.Add(toPath, $"{toPath} ({schedule.TimeTo}) is not after {fromPath} ({schedule.TimeFrom}); the window would be empty. A window runs within one day: end it later, or use 24:00 for midnight.", fromPath);
        }
    }

    private static void CheckTarget(LoyaltyProgram program, Offer offer, OfferTarget target, ValidationPath item, Dictionary<string, CategoryRule> categories, ValidationReport report)
    {
        var path = item.Member(nameof(Offer.Target));
        var personalised = item.Member(nameof(Offer.Personalised));

        // A tier the levels no longer list is allowed: members keep a tier a new program dropped.
        if (target.Tiers is { } tiers)
        {
            var at = path.Member(nameof(OfferTarget.Tiers));
            for (var t = 0; t < tiers.Count; t++)
            {
                report.Defined(at.Item(t), tiers[t]);
            }
        }

        NonEmptyEntries(report, path.Member(nameof(OfferTarget.StoreIds)), target.StoreIds ?? [], "store id");

        var min = path.Member(nameof(OfferTarget.MinDaysSinceEnrollment));
        var max = path.Member(nameof(OfferTarget.MaxDaysSinceEnrollment));
        if (target.MinDaysSinceEnrollment is { } minDays)
        {
            report.Between(min, minDays, 0, MaxOfferDays * 10, "days");
            if (offer.ValidDaysAfterEnrollment is { } valid && minDays >= valid)
            {
                var validPath = item.Member(nameof(Offer.ValidDaysAfterEnrollment));
                report.Add(min, $"{min} is {minDays}, but {validPath} ends the offer after day {valid} (day {valid} is {valid - 1} days after enrolment), so the offer could never apply.", validPath);
            }
        }

        if (target.MaxDaysSinceEnrollment is { } maxDays)
        {
            report.Between(max, maxDays, 0, MaxOfferDays * 10, "days");
            if (target.MinDaysSinceEnrollment is { } least && least > maxDays)
            {
                report.Add(min, $"{min} ({least}) is above {max} ({maxDays}), so no member could match; make the minimum at most the maximum.", max);
            }
        }

        var segments = path.Member(nameof(OfferTarget.Segments));
        if (target.Segments is { } names)
        {
            Personal(report, segments, offer, personalised);
            for (var s = 0; s < names.Count; s++)
            {
                var known = names[s] is { } name && (string.Equals(name, program.DefaultSegment, StringComparison.Ordinal)
                    || (program.Segments?.Any(g => g is not null && string.Equals(g.Name, name, StringComparison.Ordinal)) ?? false));
                if (!known && program.Segments is { } all && all.All(g => g?.Name is not null))
                {
                    var list = ValidationPath.Root.Member(nameof(LoyaltyProgram.Segments));
                    report.Add(segments.Item(s), $"{segments.Item(s)} is {Quote(names[s] ?? string.Empty)}, which is neither a segment of the program nor its defaultSegment, so no member could be in it.", list, ValidationPath.Root.Member(nameof(LoyaltyProgram.DefaultSegment)));
                }
            }
        }

        if (target.Lifecycle is { } stages)
        {
            var at = path.Member(nameof(OfferTarget.Lifecycle));
            Personal(report, at, offer, personalised);
            for (var s = 0; s < stages.Count; s++)
            {
                report.Defined(at.Item(s), stages[s]);
            }
        }

        var flags = path.Member(nameof(OfferTarget.RiskFlags));
        var excluded = path.Member(nameof(OfferTarget.ExcludeRiskFlags));
        if (target.RiskFlags is { } raised)
        {
            Personal(report, flags, offer, personalised);
            Flags(report, flags, raised);
        }

        if (target.ExcludeRiskFlags is { } without)
        {
            Personal(report, excluded, offer, personalised);
            Flags(report, excluded, without);
            if (target.RiskFlags is { } raised2)
            {
                for (var f = 0; f < without.Count; f++)
                {
                    if (raised2.Count > 0 && raised2.All(r => string.Equals(r, without[f], StringComparison.Ordinal)))
                    {
                        report.Add(excluded.Item(f), $"{excluded.Item(f)} excludes {Quote(without[f] ?? string.Empty)}, the only flag {flags} asks for, so no member could match.", flags);
                    }
                }
            }
        }

        if (target.Birthday is { } birthday)
        {
            var at = path.Member(nameof(OfferTarget.Birthday));
            report.Defined(at, birthday);
            Personal(report, at, offer, personalised);
        }

        if (target.AffinityCategories is { } affinity)
        {
            var at = path.Member(nameof(OfferTarget.AffinityCategories));
            Personal(report, at, offer, personalised);
            Categories(report, at, affinity, categories, needAffinity: true);
        }
    }

    private static void CheckReward(Offer offer, ValidationPath item, IReadOnlyList<Offer> offers, Dictionary<string, int> ids, ValidationReport report)
    {
        var kind = item.Member(nameof(Offer.Kind));
        var path = item.Member(nameof(Offer.Reward));
        var reward = offer.Reward;
        var kindName = ValidationStructure.EnumName(offer.Kind);

        void Unused(string member, bool present)
        {
            if (present)
            {
                var at = path.Member(member);
                report.Add(at, $"{at} is given, but a {kindName} offer does not use it; remove it (or change {kind}).", kind);
            }
        }

        void Needed(string member, bool present, string what)
        {
            if (!present)
            {
                var at = path.Member(member);
                report.Add(at, $"{at} is missing; a {kindName} offer needs {what}.", kind);
            }
        }

        Unused(nameof(OfferReward.Steps), offer.Kind != OfferKind.AmountOff && reward.Steps is not null);
        Unused(nameof(OfferReward.Percent), offer.Kind != OfferKind.PercentOff && reward.Percent is not null);
        Unused(nameof(OfferReward.BuyQuantity), offer.Kind != OfferKind.BuyXGetY && reward.BuyQuantity is not null);
        Unused(nameof(OfferReward.FreeQuantity), offer.Kind != OfferKind.BuyXGetY && reward.FreeQuantity is not null);
        Unused(nameof(OfferReward.Gift), offer.Kind != OfferKind.BuyXGetY && reward.Gift is not null);
        Unused(nameof(OfferReward.Multiplier), offer.Kind != OfferKind.PointsMultiplier && reward.Multiplier is not null);
        Unused(nameof(OfferReward.Points), offer.Kind != OfferKind.BonusPoints && reward.Points is not null);
        Unused(nameof(OfferReward.CouponOfferId), offer.Kind != OfferKind.Coupon && reward.CouponOfferId is not null);
        if (reward.ValueFen is { } value)
        {
            report.AtLeast(path.Member(nameof(OfferReward.ValueFen)), value, 0L, "fen");
        }

        switch (offer.Kind)
        {
            case OfferKind.AmountOff:
                Needed(nameof(OfferReward.Steps), reward.Steps is not null, "steps (spend at least minSpendFen, save offFen)");
                if (reward.Steps is { } steps)
                {
                    CheckSteps(steps, path.Member(nameof(OfferReward.Steps)), report);
                }

                break;
            case OfferKind.PercentOff:
                Needed(nameof(OfferReward.Percent), reward.Percent is not null, "the percent off");
                if (reward.Percent is { } percent && (percent <= 0 || percent > 100))
                {
                    var at = path.Member(nameof(OfferReward.Percent));
                    report.Add(at, $"{at} is {percent}; it must be above 0 and at most 100 percent.");
                }

                break;
            case OfferKind.BuyXGetY:
                Needed(nameof(OfferReward.BuyQuantity), reward.BuyQuantity is not null, "the units to buy");
                if (reward.BuyQuantity is { } buy)
                {
                    report.Positive(path.Member(nameof(OfferReward.BuyQuantity)), buy);
                }

                if (reward.FreeQuantity is { } free)
                {
                    report.Positive(path.Member(nameof(OfferReward.FreeQuantity)), free);
                    if (reward.Gift is not null)
                    {
                        var gift = path.Member(nameof(OfferReward.Gift));
                        report.Add(gift, $"{gift} and {path.Member(nameof(OfferReward.FreeQuantity))} are both given; a buyXGetY offer gives either free units or a gift.");
                    }
                }
                else if (reward.Gift is { } gift)
                {
                    Text(report, path.Member(nameof(OfferReward.Gift)), gift);
                }
                else
                {
                    Needed(nameof(OfferReward.FreeQuantity), false, "freeQuantity (units free) or gift (what is handed over)");
                }

                if (offer.Scope is not { } scope || ((scope.Categories?.Count ?? 0) == 0 && (scope.Skus?.Count ?? 0) == 0))
                {
                    var at = item.Member(nameof(Offer.Scope));
                    report.Add(at, $"{at} must name the categories or SKUs whose units a buyXGetY offer counts (buy 6 cans of baby formula …).", kind);
                }

                break;
            case OfferKind.PointsMultiplier:
                Needed(nameof(OfferReward.Multiplier), reward.Multiplier is not null, "the multiplier");
                if (reward.Multiplier is { } multiplier && (multiplier <= 1 || multiplier > MaxOfferMultiplier))
                {
                    var at = path.Member(nameof(OfferReward.Multiplier));
                    report.Add(at, $"{at} is {multiplier}; it must be above 1 and at most {MaxOfferMultiplier} (2 is double points; 1 would give nothing).");
                }

                break;
            case OfferKind.BonusPoints:
                Needed(nameof(OfferReward.Points), reward.Points is not null, "the points given");
                if (reward.Points is { } points)
                {
                    report.Between(path.Member(nameof(OfferReward.Points)), points, 1L, MaxOfferPoints, "points");
                }

                break;
            case OfferKind.Coupon:
                Needed(nameof(OfferReward.CouponOfferId), reward.CouponOfferId is not null, "the id of the coupon template it issues");
                if (reward.CouponOfferId is { } templateId)
                {
                    var at = path.Member(nameof(OfferReward.CouponOfferId));
                    if (!ids.TryGetValue(templateId, out var index) || offers[index] is null)
                    {
                        report.Add(at, $"{at} is {Quote(templateId)}, which is not the id of an offer in this program.");
                    }
                    else if (offers[index].Wallet is null)
                    {
                        report.Add(at, $"{at} names {Quote(templateId)}, which is not a coupon template (it has no wallet terms); a till would apply it without a coupon anyway.");
                    }
                    else if (string.Equals(templateId, offer.Id, StringComparison.Ordinal))
                    {
                        report.Add(at, $"{at} names the offer itself.");
                    }
                }

                break;
        }
    }

    private static void CheckSteps(IReadOnlyList<AmountStep> steps, ValidationPath path, ValidationReport report)
    {
        if (steps.Count == 0)
        {
            report.Add(path, $"{path} is empty; give at least one step (spend at least minSpendFen, save offFen).");
        }

        AmountStep? previous = null;
        for (var s = 0; s < steps.Count; s++)
        {
            var item = path.Item(s);
            if (!report.Present(item, steps[s]))
            {
                previous = null;
                continue;
            }

            var step = steps[s];
            var min = item.Member(nameof(AmountStep.MinSpendFen));
            var off = item.Member(nameof(AmountStep.OffFen));
            report.Positive(min, step.MinSpendFen, "Give the spend (in fen) the saving needs.");
            report.Positive(off, step.OffFen);
            if (step.OffFen > step.MinSpendFen && step.MinSpendFen > 0)
            {
                report.Add(off, $"{off} ({step.OffFen}) is more than {min} ({step.MinSpendFen}); a step can't save more than the spend it needs.", min);
            }

            if (previous is not null)
            {
                var previousMin = path.Item(s - 1).Member(nameof(AmountStep.MinSpendFen));
                var previousOff = path.Item(s - 1).Member(nameof(AmountStep.OffFen));
                if (step.MinSpendFen <= previous.MinSpendFen)
                {
                    report.Add(min, $"{min} is {step.MinSpendFen} but must be greater than {previousMin} ({previous.MinSpendFen}): list steps from the smallest spend up.", previousMin);
                }
                else if (step.OffFen <= previous.OffFen)
                {
                    report.Add(off, $"{off} is {step.OffFen} but must be greater than {previousOff} ({previous.OffFen}): a higher step must save more.", previousOff);
                }
            }

            previous = step;
        }
    }

    private static void CheckLimits(Offer offer, ValidationPath item, ValidationReport report)
    {
        if (offer.Limits is not { } limits)
        {
            return;
        }

        var path = item.Member(nameof(Offer.Limits));
        var perMember = path.Member(nameof(OfferLimits.PerMember));
        var period = path.Member(nameof(OfferLimits.Period));
        if (limits.PerMember is { } uses)
        {
            report.Positive(perMember, uses, "Leave it out for no limit.");
        }

        if (limits.Period is { } each)
        {
            report.Defined(period, each);
            if (limits.PerMember is null)
            {
                report.Add(period, $"{period} is given without {perMember}; give the uses allowed per {ValidationStructure.EnumName(each)}, or remove it.");
            }
        }

        if (limits.PerBasket is { } perBasket)
        {
            var at = path.Member(nameof(OfferLimits.PerBasket));
            report.Positive(at, perBasket);
            if (perBasket > 1 && offer.Kind != OfferKind.BuyXGetY && offer.Wallet is null)
            {
                report.Add(at, $"{at} is {perBasket}, but a {ValidationStructure.EnumName(offer.Kind)} offer applies once per basket; only buyXGetY offers (groups) and coupon templates (coupons) can apply more than once.", item.Member(nameof(Offer.Kind)));
            }
        }
    }

    /// <summary>Reports personalised targeting on a generic offer: it would read the data of members who did not consent.</summary>
    private static void Personal(ValidationReport report, ValidationPath path, Offer offer, ValidationPath personalised)
    {
        if (!offer.Personalised)
        {
            report.Add(path, $"{path} is personalised targeting, but the offer is generic ({personalised} is false); members who did not consent to personalisation get generic offers, so set {personalised} to true or remove {path}.", personalised);
        }
    }

    private static void Flags(ValidationReport report, ValidationPath path, IReadOnlyList<string> codes)
    {
        for (var f = 0; f < codes.Count; f++)
        {
            if (codes[f] is not { } code || !StandingFlags.Contains(code, StringComparer.Ordinal))
            {
                report.Add(path.Item(f), $"{path.Item(f)} is {Quote(codes[f] ?? string.Empty)}; it must be one of the flags that can stand on a member: {string.Join(", ", StandingFlags)}.");
            }
        }
    }

    /// <summary>Reports category names the program does not list (no rule could ever match them: usually a misspelling).</summary>
    private static void Categories(ValidationReport report, ValidationPath path, IReadOnlyList<string>? names, Dictionary<string, CategoryRule> categories, bool needAffinity)
    {
        if (names is null)
        {
            return;
        }

        var list = ValidationPath.Root.Member(nameof(LoyaltyProgram.Categories));
        for (var c = 0; c < names.Count; c++)
        {
            var at = path.Item(c);
            if (string.IsNullOrWhiteSpace(names[c]))
            {
                report.Add(at, $"{at} is empty; give a category or remove the entry.");
            }
            else if (!categories.TryGetValue(names[c], out var rule))
            {
                report.Add(at, $"{at} is {Quote(names[c])}, which is not a category in {list}, so no rule can match it (is it misspelt?). Add it to {list} or name a listed category.", list);
            }
            else if (needAffinity && rule.Affinity is null)
            {
                report.Add(at, $"{at} is {Quote(names[c])}, but that category has no affinity rule in {list}, so no member could have the affinity; give it one.", list);
            }
        }
    }

    /// <summary>Checks a text shown to members: present, and both languages acceptable text.</summary>
    private static void Text(ValidationReport report, ValidationPath path, LocalizedText? text)
    {
        if (!report.Present(path, text))
        {
            return;
        }

        Language(report, path.Member(nameof(LocalizedText.En)), text.En);
        Language(report, path.Field(LocalizedText.ZhCnName), text.ZhCn);
    }

    private static void Language(ValidationReport report, ValidationPath path, string? value)
    {
        if (!report.Present(path, value))
        {
            return;
        }

        if (Validate.TextProblem(value, MaxTextLength) is { } problem)
        {
            report.Add(path, $"{path} {problem}: it is shown to members as it is written.");
        }
    }

    /// <summary>Minutes since midnight of "HH:mm"; 24:00 (1440) only when <paramref name="allowEndOfDay"/>.</summary>
    internal static int? MinuteOfDay(string text, bool allowEndOfDay)
    {
        if (allowEndOfDay && text == "24:00")
        {
            return 24 * 60;
        }

        return TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            && (time.Hour > 0 || time.Minute > 0 || !allowEndOfDay)
            ? (time.Hour * 60) + time.Minute
            : null;
    }
}
