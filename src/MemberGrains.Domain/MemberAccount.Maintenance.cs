using System.Globalization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>
/// Time-based rules, applied lazily whenever the member is touched: expiry, monthly tier reviews,
/// lapsed flags, notices, and forgetting what is no longer needed.
/// </summary>
public sealed partial class MemberAccount
{
    /// <summary>
    /// The next instant a time-based rule has something to do that should not wait for the member's
    /// next visit: points expiring or entering the expiring-soon window, a monthly tier review that
    /// could change the tier, the birthday week, churn risk. Null when nothing is scheduled.
    /// </summary>
    public DateTimeOffset? NextDueAt(DateTimeOffset now)
    {
        var rules = Rules;
        DateTimeOffset? due = null;
        void Consider(DateTimeOffset at)
        {
            if (at > now && (due is null || at < due))
            {
                due = at;
            }
        }

        var notices = rules.Document.Notices;
        foreach (var lot in State.Lots)
        {
            if (lot.ExpiresAt == DateTimeOffset.MaxValue)
            {
                continue;
            }

            Consider(lot.ExpiresAt);
            if (notices.ExpiringSoon && State.ExpiryNoticeFor != lot.ExpiresAt)
            {
                Consider(lot.ExpiresAt - TimeSpan.FromDays(rules.Document.Expiry.ExpiringSoonDays));
            }
        }

        if (State.Tier > rules.LowestTier)
        {
            Consider(rules.StartOfMonth(ProgramRules.AddMonths(rules.LocalMonth(now), 1)));
        }

        if ((notices.BirthdayWeek || rules.Offers.BirthdayTriggers.Length > 0) && State.Birthday is { } birthday)
        {
            var today = rules.LocalDate(now);
            for (var year = today.Year; year <= today.Year + 1; year++)
            {
                if (State.BirthdayNoticeYear < year)
                {
                    Consider(rules.StartOf(ProgramRules.BirthdayWeekStart(birthday, year)));
                }
            }
        }

        var churn = rules.Risk.ChurnRisk;
        if (State.LastPurchaseAt is { } last && State.ChurnNoticeFor != last && PurchasesBefore(last, churn.LookbackDays) >= churn.MinPurchases)
        {
            Consider(rules.StartOf(rules.LocalDate(last).AddDays(churn.SilentDays)));
        }

        return due;
    }

    /// <summary>
    /// The tier after the monthly reviews due by <paramref name="now"/>, without changing anything:
    /// at the end of each month a tier with a monthly minimum spend that was not met drops one
    /// level, and a member without purchases for the program's number of months drops to the lowest.
    /// </summary>
    private (Tier Tier, List<(int Month, Tier From, Tier To, string Reason)> Changes) ReviewTier(ProgramRules rules, DateTimeOffset now)
    {
        var tier = State.Tier;
        var changes = new List<(int, Tier, Tier, string)>();
        var current = rules.LocalMonth(now);
        var tiers = rules.Document.Tiers;
        for (var month = Math.Max(State.TierReviewedMonth, ProgramRules.AddMonths(current, -240)); month < current; month = ProgramRules.AddMonths(month, 1))
        {
            if (tier == rules.LowestTier)
            {
                break;
            }

            var inactive = tiers.InactiveMonthsToLowest;
            if (inactive > 0 && Enumerable.Range(0, inactive).All(back => PurchasesIn(ProgramRules.AddMonths(month, -back)) == 0) && rules.LocalMonth(State.EnrolledAt) <= ProgramRules.AddMonths(month, 1 - inactive))
            {
                changes.Add((month, tier, rules.LowestTier, "inactive"));
                tier = rules.LowestTier;
                continue;
            }

            // The month a tier was reached is its grace month: upkeep starts with the next one.
            var upkeep = tiers.Maintenance.FirstOrDefault(m => m.Tier == tier);
            if (upkeep is not null && month != TierReachedMonth(rules) && NetIn(month) < upkeep.MinMonthlySpendFen)
            {
                var lower = rules.OneLevelDown(tier);
                changes.Add((month, tier, lower, "maintenance"));
                tier = lower;
            }
        }

        return (tier, changes);
    }

    /// <summary>Brings time-based state up to date: expires lots and holds, reviews the tier, lapses flags, raises notices, forgets old answers.</summary>
    private void Maintain(DateTimeOffset now, string requestId, string storeId, string terminalId)
    {
        var rules = Rules;
        for (var i = 0; i < State.Lots.Count;)
        {
            var lot = State.Lots[i];
            if (lot.ExpiresAt > now)
            {
                i++;
                continue;
            }

            State.Lots.RemoveAt(i);
            if (lot.Remaining > 0)
            {
                Record(LedgerKind.Expire, -lot.Remaining, requestId, storeId, terminalId, now);
            }
        }

        var (tier, changes) = ReviewTier(rules, now);
        foreach (var (month, from, to, reason) in changes)
        {
            var at = rules.StartOfMonth(ProgramRules.AddMonths(month, 1));
            Raise(EventKinds.TierChanged, now, ("from", from.ToString()), ("to", to.ToString()), ("reason", reason), ("effective_at", at.ToString("O", CultureInfo.InvariantCulture)));
        }

        if (changes.Count > 0)
        {
            State.TierSince = rules.StartOfMonth(ProgramRules.AddMonths(changes[^1].Month, 1));
            State.TierLostInReview = true;
        }

        State.Tier = tier;
        State.TierReviewedMonth = Math.Max(State.TierReviewedMonth, rules.LocalMonth(now));

        // Removing while enumerating a Dictionary is allowed (it never invalidates the enumerator).
        foreach (var (holdId, hold) in State.Holds)
        {
            if (hold.Status == HoldStatus.Open && hold.ExpiresAt <= now)
            {
                hold.Status = HoldStatus.Expired;
                hold.ClosedAt = hold.ExpiresAt;
            }

            if (Limits.ForgetAt(hold) <= now)
            {
                State.Holds.Remove(holdId);
            }
        }

        foreach (var (purchaseId, purchase) in State.Purchases)
        {
            if (Limits.ForgetAt(purchase) <= now)
            {
                State.Purchases.Remove(purchaseId);
            }
        }

        State.Flags.RemoveAll(f => f.ExpiresAt <= now);
        Forget(rules, now);
        State.Wallet.RemoveAll(c => c.ExpiresAt + Limits.SpentCouponRetention <= now);
        Notify(rules, now, requestId);
        ForgetOldRequests(now);
    }

    /// <summary>Drops month buckets and purchase times older than any program window needs.</summary>
    private void Forget(ProgramRules rules, DateTimeOffset now)
    {
        var doc = rules.Document;
        var months = Math.Max(Math.Max(doc.Tiers.QualifyingMonths, doc.Rfm.WindowMonths), doc.Tiers.InactiveMonthsToLowest) + 1;
        var oldest = ProgramRules.AddMonths(rules.LocalMonth(now), -months);
        State.Months.RemoveAll(b => b.Month < oldest);

        var churn = doc.Risk.ChurnRisk;
        var keepFrom = now - TimeSpan.FromMinutes(doc.Risk.Velocity.WindowMinutes);
        if (State.LastPurchaseAt is { } last && last - TimeSpan.FromDays(churn.LookbackDays + 1) < keepFrom)
        {
            keepFrom = last - TimeSpan.FromDays(churn.LookbackDays + 1);
        }

        State.RecentPurchases.RemoveAll(t => t < keepFrom);
    }

    /// <summary>
    /// Raises the notices that have become due (birthday week, points expiring soon, churn risk) and
    /// issues the coupons those events trigger.
    /// </summary>
    private void Notify(ProgramRules rules, DateTimeOffset now, string requestId)
    {
        var notices = rules.Document.Notices;
        var today = rules.LocalDate(now);
        var birthdayCoupons = rules.Offers.BirthdayTriggers;
        if ((notices.BirthdayWeek || birthdayCoupons.Length > 0) && State.Birthday is { } birthday)
        {
            for (var year = today.Year - 1; year <= today.Year + 1; year++)
            {
                var start = ProgramRules.BirthdayWeekStart(birthday, year);
                if (State.BirthdayNoticeYear < year && today >= start && today < start.AddDays(7))
                {
                    State.BirthdayNoticeYear = year;
                    if (notices.BirthdayWeek)
                    {
                        Raise(EventKinds.BirthdayWeekStarted, now, ("week_start", start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
                    }

                    IssueOnEvent(rules, birthdayCoupons, "birthday_week_started", now, requestId);
                }
            }
        }

        if (notices.ExpiringSoon && ExpiringSoon(rules, now) is { Points: > 0, FirstExpiresAt: { } first } expiring && State.ExpiryNoticeFor != first)
        {
            State.ExpiryNoticeFor = first;
            var points = State.Lots.Where(l => l.ExpiresAt == first).Sum(l => l.Remaining);
            Raise(EventKinds.PointsExpiringSoon, now, ("points", Text(points)), ("expires_at", first.ToString("O", CultureInfo.InvariantCulture)), ("expiring_within_window", Text(expiring.Points)));
        }

        if (State.LastPurchaseAt is { } last && State.ChurnNoticeFor != last && ChurnRisk(rules, now))
        {
            State.ChurnNoticeFor = last;
            Raise(EventKinds.ChurnRiskRaised, now, ("last_purchase_at", last.ToString("O", CultureInfo.InvariantCulture)), ("silent_days", Text(rules.DaysBetween(last, now))));
            IssueOnEvent(rules, rules.Offers.ChurnTriggers, "churn_risk_raised", now, requestId);
        }
    }

    /// <summary>Forgets answers past their retention, and the oldest ones beyond the count limit (room for one more).</summary>
    private void ForgetOldRequests(DateTimeOffset now)
    {
        var anyStale = false;
        foreach (var request in State.Requests.Values)
        {
            anyStale |= Limits.ForgetAt(request) <= now;
        }

        if (!anyStale && State.Requests.Count < Limits.MaxRememberedRequests)
        {
            return; // the common case: nothing to sort or allocate
        }

        var stale = State.Requests.Values
            .OrderBy(r => r.Order)
            .Where((r, index) => Limits.ForgetAt(r) <= now || State.Requests.Count - index >= Limits.MaxRememberedRequests)
            .Select(r => r.RequestId)
            .ToList();
        stale.ForEach(id => State.Requests.Remove(id));
    }

    private int TierReachedMonth(ProgramRules rules) => State.TierSince is { } since ? rules.LocalMonth(since) : 0;

    private void ChangeTier(Tier to, DateTimeOffset now, string reason)
    {
        var from = State.Tier;
        State.Tier = to;
        State.TierSince = now;
        Raise(EventKinds.TierChanged, now, ("from", from.ToString()), ("to", to.ToString()), ("reason", reason), ("effective_at", now.ToString("O", CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// A refund of a purchase that lifted the member's tier takes the lift back when the qualifying
    /// spend no longer reaches it (no buy → upgrade → refund → keep the tier).
    /// </summary>
    private void ReverseUpgrade(PurchaseRecord purchase, DateTimeOffset now)
    {
        var reached = Rules.TierFor(QualifyingSpend(Rules, now));
        if (State.Tier > purchase.Tier && reached < State.Tier)
        {
            ChangeTier(reached > purchase.Tier ? reached : purchase.Tier, now, "refund");
        }
    }

    /// <summary>Net spend over the program's qualifying window of months (current month included).</summary>
    private long QualifyingSpend(ProgramRules rules, DateTimeOffset now) => NetSince(rules, now, rules.Document.Tiers.QualifyingMonths);

    private long NetSince(ProgramRules rules, DateTimeOffset now, int months) => Totals(rules, now, months).NetFen;

    /// <summary>The month buckets of the last <paramref name="months"/> store-local months (the current one included), added up.</summary>
    private WindowTotals Totals(ProgramRules rules, DateTimeOffset now, int months)
    {
        var from = ProgramRules.AddMonths(rules.LocalMonth(now), 1 - months);
        var totals = default(WindowTotals);
        foreach (var b in State.Months)
        {
            if (b.Month >= from)
            {
                totals.Purchases += b.Purchases;
                totals.PromotionOnlyPurchases += b.PromotionOnlyPurchases;
                totals.GrossFen += b.GrossFen;
                totals.RefundedFen += b.RefundedFen;
            }
        }

        return totals;
    }

    /// <summary>Month buckets added up (see <see cref="Totals"/>).</summary>
    private struct WindowTotals
    {
        public int Purchases;
        public int PromotionOnlyPurchases;
        public long GrossFen;
        public long RefundedFen;

        public readonly long NetFen => GrossFen - RefundedFen;
    }

    private int PurchasesIn(int month) => State.Months.Find(b => b.Month == month)?.Purchases ?? 0;

    private long NetIn(int month) => State.Months.Find(b => b.Month == month)?.NetFen ?? 0;

    /// <summary>Purchases in the <paramref name="days"/> days up to and including <paramref name="last"/>.</summary>
    private int PurchasesBefore(DateTimeOffset last, int days)
    {
        var from = last - TimeSpan.FromDays(days);
        var count = 0;
        foreach (var at in State.RecentPurchases)
        {
            if (at <= last && at >= from)
            {
                count++;
            }
        }

        return count;
    }
}
