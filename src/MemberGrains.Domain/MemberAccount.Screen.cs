using System.Text;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>
/// What in-store screens show, and the category habits behind it: per-category purchase stats,
/// affinity tags and replenishment reminders.
/// </summary>
public sealed partial class MemberAccount
{
    /// <summary>
    /// The member as an in-store screen shows them at <paramref name="now"/>: masked identity, points,
    /// tier progress, points expiring soon, the offers they can use now or soon (in
    /// <paramref name="storeId"/> when given), ranked by value; for members who consented to
    /// personalisation also replenishment reminders and affinity tags. Changes nothing.
    /// </summary>
    public MemberScreen ScreenView(DateTimeOffset now, string? storeId)
    {
        var rules = Rules;
        var held = HeldAt(now);
        var balance = BalanceAt(now);
        var pending = PendingAt(now);
        var tier = ReviewTier(rules, now).Tier;
        var rfm = Rfm(rules, now);
        var personalised = State.PersonalisationConsent;
        return new MemberScreen(
            MaskMemberId(State.MemberId),
            personalised,
            balance,
            balance - held - pending,
            TierStatusOf(rules, tier, now),
            ExpiringSoon(rules, now),
            ScreenOffers(rules, now, string.IsNullOrEmpty(storeId) ? null : storeId, tier),
            personalised ? Reminders(rules, now) : [],
            personalised ? Tags(rules, now) : [],
            rules.Version,
            Lifecycle(rules, rfm, now),
            now);
    }

    /// <summary>
    /// A member number as passers-by may see it: the first three and last two characters kept, the
    /// rest masked with '*'. Shorter numbers keep less, so at least half is always masked:
    /// <c>ab**e</c>, <c>a**d</c>, <c>a**</c>, <c>a*</c>, <c>*</c>. Counts Unicode characters, not UTF-16 units.
    /// </summary>
    public static string MaskMemberId(string memberId)
    {
        var runes = memberId.EnumerateRunes().ToArray();
        var n = runes.Length;
        var (keepStart, keepEnd) = n switch
        {
            >= 6 => (3, 2),
            5 => (2, 1),
            4 => (1, 1),
            >= 2 => (1, 0),
            _ => (0, 0),
        };
        var masked = new StringBuilder(memberId.Length);
        for (var i = 0; i < n; i++)
        {
            masked.Append(i < keepStart || i >= n - keepEnd ? runes[i].ToString() : "*");
        }

        return masked.ToString();
    }

    /// <summary>
    /// Offers usable today from now on, or tomorrow, and the wallet coupons usable now: generic ones
    /// only without consent, none limited to other stores, none whose limit or budget is used up.
    /// Basket conditions are left to the till. Most valuable first, then by priority.
    /// </summary>
    private List<ScreenOffer> ScreenOffers(ProgramRules rules, DateTimeOffset now, string? storeId, Tier tier)
    {
        var book = rules.Offers;
        var ranked = new List<(ScreenOffer Offer, int Priority)>();
        var local = rules.LocalTime(now);
        var today = DateOnly.FromDateTime(local);
        var minute = (local.Hour * 60) + local.Minute;
        var consent = State.PersonalisationConsent;
        var shared = new SharedFacts(this, rules);
        foreach (var offer in book.Till)
        {
            if ((offer.Personalised && !consent) || !InStore(offer, storeId))
            {
                continue;
            }

            for (var day = today; day <= today.AddDays(1); day = day.AddDays(1))
            {
                var isToday = day == today;
                if (!offer.RunsAt(day, isToday ? Math.Max(minute, offer.TimeFrom) : offer.TimeFrom) || (isToday && minute >= offer.TimeTo))
                {
                    continue;
                }

                var startMinute = isToday ? Math.Max(minute, offer.TimeFrom) : offer.TimeFrom;
                var start = isToday && startMinute == minute ? now : rules.StartOf(day).AddMinutes(startMinute);
                var context = new OfferContext(this, rules, start, day, startMinute, storeId, tier, [], 0, shared);
                if (Refusal(context, offer, null, schedule: false) is not null || (offer.BudgetUnit is not null && !Budget.CanTake(offer.Id, 1)))
                {
                    continue;
                }

                var until = ValidityEnd(rules, offer);
                if (offer.HasSchedule)
                {
                    var slotEnd = rules.StartOf(day).AddMinutes(offer.TimeTo);
                    until = until is { } end && end < slotEnd ? end : slotEnd;
                }

                ranked.Add((new ScreenOffer(offer.Id, offer.Title, offer.ReasonText, OfferCodes.Of(offer.Reason), OfferCodes.Of(offer.Kind), offer.EstimatedValueFen, start > now ? start : null, until, null), offer.Priority));
                break;
            }
        }

        var nowContext = new OfferContext(this, rules, now, today, minute, storeId, tier, [], 0, shared);
        foreach (var coupon in State.Wallet)
        {
            if (!coupon.OpenAt(now) || CouponTemplate(coupon) is not { } template || (template.Personalised && !consent) || !InStore(template, storeId))
            {
                continue;
            }

            if (Refusal(nowContext, template, coupon, schedule: false) is not null)
            {
                continue;
            }

            var until = ValidityEnd(rules, template) is { } end && end < coupon.ExpiresAt ? end : coupon.ExpiresAt;
            ranked.Add((new ScreenOffer(template.Id, template.Title, template.ReasonText, OfferCodes.Of(template.Reason), OfferCodes.Of(template.Kind), template.EstimatedValueFen, null, until, coupon.CouponId), template.Priority));
        }

        ranked.Sort(static (a, b) =>
        {
            var byValue = b.Offer.ValueFen.CompareTo(a.Offer.ValueFen);
            if (byValue != 0)
            {
                return byValue;
            }

            var byPriority = b.Priority.CompareTo(a.Priority);
            return byPriority != 0 ? byPriority
                : string.CompareOrdinal(a.Offer.OfferId, b.Offer.OfferId) is var byId and not 0 ? byId
                : string.CompareOrdinal(a.Offer.CouponId, b.Offer.CouponId);
        });
        return [.. ranked.Select(r => r.Offer)];

        static bool InStore(CompiledOffer offer, string? storeId) =>
            storeId is null || offer.StoreIds.Length == 0 || Array.IndexOf(offer.StoreIds, storeId) >= 0;
    }

    /// <summary>When an offer stops for this member: its last day, or the end of its days after enrolment; null: no end.</summary>
    private DateTimeOffset? ValidityEnd(ProgramRules rules, CompiledOffer offer)
    {
        DateTimeOffset? end = offer.ToDay == int.MaxValue ? null : rules.StartOf(DateOnly.FromDayNumber(offer.ToDay).AddDays(1));
        if (offer.ValidDays > 0)
        {
            var enrolmentEnd = rules.StartOf(rules.LocalDate(State.EnrolledAt).AddDays(offer.ValidDays));
            end = end is { } last && last < enrolmentEnd ? last : enrolmentEnd;
        }

        return end;
    }

    /// <summary>
    /// Categories the program marks replenishable that the member usually buys every N days, when
    /// the N days are up within the rule's days, or overdue (up to twice N: past that, the habit is gone).
    /// </summary>
    private List<ReplenishmentReminder> Reminders(ProgramRules rules, DateTimeOffset now)
    {
        var reminders = new List<ReplenishmentReminder>();
        var today = rules.LocalDate(now);
        foreach (var category in rules.Offers.ReplenishCategories)
        {
            if (!State.Categories.TryGetValue(category.Category, out var stats) || UsualInterval(rules, stats, now, category.Replenish!.MinPurchases) is not { } usual)
            {
                continue;
            }

            var since = today.DayNumber - usual.LastDay.DayNumber;
            var dueIn = usual.Days - since;
            if (dueIn <= category.Replenish!.RemindWithinDays && since <= 2 * usual.Days)
            {
                reminders.Add(new ReplenishmentReminder(category.Category, category.Name, usual.Days, since, dueIn));
            }
        }

        reminders.Sort(static (a, b) => a.DueInDays != b.DueInDays ? a.DueInDays.CompareTo(b.DueInDays) : string.CompareOrdinal(a.Category, b.Category));
        return reminders;
    }

    /// <summary>
    /// The member's usual days between purchases of a category: the median of the gaps between the
    /// store-local days of the kept purchase times (several on one day count as one visit), once there
    /// are at least <paramref name="minVisits"/> visits; null before.
    /// </summary>
    private static (int Days, DateOnly LastDay)? UsualInterval(ProgramRules rules, CategoryStats stats, DateTimeOffset now, int minVisits)
    {
        var days = new List<int>(stats.Times.Count);
        foreach (var time in stats.Times)
        {
            if (time > now)
            {
                continue;
            }

            var day = rules.LocalDate(time).DayNumber;
            if (days.Count == 0 || days[^1] != day)
            {
                days.Add(day);
            }
        }

        if (days.Count < Math.Max(2, minVisits))
        {
            return null;
        }

        var gaps = new int[days.Count - 1];
        for (var i = 1; i < days.Count; i++)
        {
            gaps[i - 1] = days[i] - days[i - 1];
        }

        Array.Sort(gaps);
        var mid = gaps.Length / 2;
        var median = gaps.Length % 2 == 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid] + 1) / 2;
        return median <= 0 ? null : (median, DateOnly.FromDayNumber(days[^1]));
    }

    /// <summary>The program's tags for the categories the member has the affinity for.</summary>
    private List<AffinityTag> Tags(ProgramRules rules, DateTimeOffset now)
    {
        var tags = new List<AffinityTag>();
        var today = rules.LocalDate(now);
        foreach (var category in rules.Offers.AffinityCategories)
        {
            if (HasAffinity(rules, category, today))
            {
                tags.Add(new AffinityTag(category.Category, category.Affinity!.Tag));
            }
        }

        return tags;
    }

    /// <summary>Whether at least the rule's number of purchases within its days up to <paramref name="today"/> held the category.</summary>
    private bool HasAffinity(ProgramRules rules, CategoryRule category, DateOnly today)
    {
        if (category.Affinity is not { } rule || !State.Categories.TryGetValue(category.Category, out var stats))
        {
            return false;
        }

        // Instants instead of converting every time to a local date: from the first instant of the
        // window's first day to the first instant of the day after today.
        var from = rules.StartOf(today.AddDays(1 - rule.WithinDays));
        var to = rules.StartOf(today.AddDays(1));
        var count = 0;
        foreach (var time in stats.Times)
        {
            if (time >= from && time < to)
            {
                count++;
            }
        }

        return count >= rule.MinPurchases;
    }

    /// <summary>
    /// Counts a purchase in the stats of each category its lines hold (a line without a category is
    /// ignored). At most <see cref="AccountLimits.MaxTrackedCategories"/> are kept; a new one pushes
    /// out the least recently bought.
    /// </summary>
    private void CountCategories(IReadOnlyList<PurchaseLine> lines, DateTimeOffset at)
    {
        var spent = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (!string.IsNullOrEmpty(line.Category))
            {
                spent[line.Category] = spent.GetValueOrDefault(line.Category) + line.AmountFen;
            }
        }

        foreach (var (category, amount) in spent)
        {
            if (!State.Categories.TryGetValue(category, out var stats))
            {
                if (State.Categories.Count >= Limits.MaxTrackedCategories)
                {
                    var oldest = State.Categories.MinBy(c => c.Value.LastPurchasedAt).Key;
                    if (State.Categories[oldest].LastPurchasedAt > at)
                    {
                        continue; // a late purchase of a new category, older than everything kept
                    }

                    State.Categories.Remove(oldest);
                }

                stats = State.Categories[category] = new CategoryStats();
            }

            stats.Add(at, amount);
        }
    }
}
