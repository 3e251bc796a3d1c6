using System.Globalization;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>
/// Offers: which apply to a basket and why the others don't, how they stack, what they give, and
/// the coupons member events issue. The order of checks, the stacking rules and what refunds do are
/// described in docs/program.md (Offers).
/// </summary>
public sealed partial class MemberAccount
{
    private readonly List<OfferUse> _pendingOfferUses = [];
    private IOfferBudget? _callBudget;
    private List<string>? _couponsIssued;

    /// <summary>
    /// The campaign budgets used when an operation is not given one: coupons issued by member events
    /// (birthday week, churn risk, referrals) and the offers screens show. Unlimited unless the host sets it.
    /// </summary>
    public IOfferBudget OfferBudget { get; set; } = UnlimitedOfferBudget.Instance;

    private IOfferBudget Budget => _callBudget ?? OfferBudget;

    /// <summary>Hands over the offer uses (and give-backs) produced since the last call, for the store to write with the member change.</summary>
    public IReadOnlyList<OfferUse> DrainOfferUses() => Drain(_pendingOfferUses);

    /// <summary>The id of a member's <paramref name="number"/>th coupon (tagged like hold ids, so it only works for this member).</summary>
    public static string CouponId(string memberId, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"C{number}-{Fingerprint.Tag(memberId)}");

    /// <summary>Checks the coupon ids a till presents.</summary>
    private void ValidateCoupons(IReadOnlyList<string>? couponIds)
    {
        if (couponIds is null)
        {
            return;
        }

        if (couponIds.Count > Limits.MaxCouponsPerBasket)
        {
            throw DomainException.Invalid("coupon_ids", $"A basket may present at most {Limits.MaxCouponsPerBasket} coupons.");
        }

        for (var i = 0; i < couponIds.Count; i++)
        {
            Validate.Id($"coupon_ids[{i}]", couponIds[i]);
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(couponIds[i], couponIds[j], StringComparison.Ordinal))
                {
                    throw DomainException.Invalid($"coupon_ids[{i}]", $"coupon_ids[{i}] repeats coupon '{couponIds[i]}'; a coupon is used at most once.");
                }
            }
        }
    }

    /// <summary>
    /// Decides the offers of a basket bought at <paramref name="at"/> and what the basket then earns.
    /// With <paramref name="take"/> (an accrual) the budgets are taken, in stacking order, once every
    /// check has passed; an offer whose budget ran out meanwhile is dropped and the rest stand.
    /// Without it (a quote) the budgets are only asked. Changes no state.
    /// </summary>
    private OfferRun RunOffers(
        ProgramRules rules,
        string storeId,
        long totalFen,
        IReadOnlyList<PurchaseLine> lines,
        IReadOnlyList<string>? couponIds,
        DateTimeOffset at,
        Tier tier,
        long capHeadroom,
        IOfferBudget budget,
        bool take,
        bool listUnpresented)
    {
        var run = new OfferRun();
        var book = rules.Offers;
        var hasCoupons = couponIds is { Count: > 0 } || (listUnpresented && State.Wallet.Count > 0);
        if (book.Till.Length == 0 && !hasCoupons)
        {
            run.Earning = Earn(rules, lines, totalFen, totalFen, storeId, at, tier, State.Birthday, capHeadroom);
            return run;
        }

        var local = rules.LocalTime(at);
        var context = new OfferContext(this, rules, at, DateOnly.FromDateTime(local), (local.Hour * 60) + local.Minute, storeId, tier, lines, totalFen);
        var candidates = new List<OfferCandidate>();
        foreach (var offer in book.Till)
        {
            Consider(context, offer, null, candidates, run.Decisions);
        }

        if (couponIds is not null)
        {
            foreach (var couponId in couponIds)
            {
                ConsiderCoupon(context, couponId, candidates, run.Decisions);
            }
        }

        if (listUnpresented)
        {
            foreach (var coupon in State.Wallet)
            {
                if (coupon.OpenAt(at) && (couponIds is null || !couponIds.Contains(coupon.CouponId, StringComparer.Ordinal)) && CouponTemplate(coupon) is { } template)
                {
                    run.Decisions.Add(new OfferDecision(template.Id, template.Kind, OfferCodes.CouponNotPresented, $"The member holds coupon '{coupon.CouponId}' ({template.Title.En}) until {coupon.ExpiresAt:yyyy-MM-dd HH:mm}; present it to use it.", coupon.CouponId));
                }
            }
        }

        // Points offers are valued on what the basket earns after the discounts that will surely apply (for budgets and best-of).
        EarnBreakdown? provisional = null;
        foreach (var candidate in candidates)
        {
            if (candidate.Offer.Kind == OfferKind.PointsMultiplier)
            {
                provisional ??= Earn(rules, lines, totalFen, totalFen - Math.Min(totalFen, SureDiscount(candidates)), storeId, at, tier, State.Birthday, capHeadroom);
                candidate.BonusPoints = MultiplierBonus(provisional.RatePoints, candidate.Offer.Multiplier, candidate.ScopeFen, totalFen);
            }

            candidate.ValueFen = candidate.DiscountFen + OfferBook.PointsValue(rules, candidate.BonusPoints) + (candidate.Offer.Kind is OfferKind.BuyXGetY or OfferKind.Coupon && candidate.DiscountFen == 0 ? candidate.Offer.EstimatedValueFen * candidate.Applications : 0);
        }

        for (var i = candidates.Count - 1; i >= 0; i--)
        {
            var candidate = candidates[i];
            if (candidate.Offer.BudgetUnit is { } unit && !budget.CanTake(candidate.Offer.Id, Units(unit, candidate)))
            {
                candidates.RemoveAt(i);
                run.Decisions.Add(Refused(candidate, OfferCodes.BudgetExhausted, "The campaign budget can't pay for it any more."));
            }
        }

        Stack(candidates, run);
        Finalize(rules, context, run, budget, take, capHeadroom);
        return run;
    }

    /// <summary>Checks one offer (or a presented coupon of it) for the basket; a candidate when everything but stacking and budget holds.</summary>
    private void Consider(OfferContext context, CompiledOffer offer, WalletCoupon? coupon, List<OfferCandidate> candidates, List<OfferDecision> decisions)
    {
        if (Refusal(context, offer, coupon, schedule: true) is { } refusal)
        {
            decisions.Add(new OfferDecision(offer.Id, offer.Kind, refusal.Code, refusal.Detail, coupon?.CouponId));
            return;
        }

        var candidate = new OfferCandidate(offer, coupon);
        if (BasketRefusal(offer, context.Lines, context.TotalFen, candidate) is { } basket)
        {
            decisions.Add(new OfferDecision(offer.Id, offer.Kind, OfferCodes.BasketCondition, basket, coupon?.CouponId));
            return;
        }

        candidates.Add(candidate);
    }

    private void ConsiderCoupon(OfferContext context, string couponId, List<OfferCandidate> candidates, List<OfferDecision> decisions)
    {
        var coupon = State.Wallet.Find(c => string.Equals(c.CouponId, couponId, StringComparison.Ordinal));
        if (coupon is null || coupon.Status == CouponStatus.Revoked)
        {
            decisions.Add(new OfferDecision(string.Empty, OfferKind.Coupon, OfferCodes.CouponNotHeld, $"The member holds no coupon '{couponId}'.", couponId));
            return;
        }

        if (CouponTemplate(coupon) is not { } template)
        {
            decisions.Add(new OfferDecision(coupon.OfferId, OfferKind.Coupon, OfferCodes.Expired, $"Coupon '{couponId}' is for offer '{coupon.OfferId}', which no program version known here has any more.", couponId));
            return;
        }

        if (coupon.Status == CouponStatus.Used)
        {
            decisions.Add(new OfferDecision(template.Id, template.Kind, OfferCodes.CouponUsed, $"Coupon '{couponId}' was already used (request '{coupon.UsedBy}').", couponId));
            return;
        }

        var sameTemplate = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.Coupon is not null && ReferenceEquals(candidate.Offer, template))
            {
                sameTemplate++;
            }
        }

        if (sameTemplate >= template.PerBasket)
        {
            decisions.Add(new OfferDecision(template.Id, template.Kind, OfferCodes.LimitReached, $"At most {template.PerBasket} coupon(s) of offer '{template.Id}' per basket.", couponId));
            return;
        }

        Consider(context, template, coupon, candidates, decisions);
    }

    /// <summary>
    /// Why an offer does not apply to this member at this time, checked in the documented order
    /// (consent, dates, schedule, targeting, limits), or null. Personalised targeting is read only
    /// for members who consented.
    /// </summary>
    private (string Code, string Detail)? Refusal(OfferContext context, CompiledOffer offer, WalletCoupon? coupon, bool schedule)
    {
        var rules = context.Rules;
        if (offer.Personalised && !State.PersonalisationConsent)
        {
            return (OfferCodes.NoConsent, "A personalised offer: the member has not consented to personalisation.");
        }

        var day = context.Date.DayNumber;
        if (day < offer.FromDay)
        {
            return (OfferCodes.NotStarted, $"The offer starts on {DateOnly.FromDayNumber(offer.FromDay):yyyy-MM-dd}.");
        }

        if (day > offer.ToDay)
        {
            return (OfferCodes.Expired, $"The offer ended on {DateOnly.FromDayNumber(offer.ToDay):yyyy-MM-dd}.");
        }

        var enrolledDays = context.Date.DayNumber - context.EnrolledDay;
        if (offer.ValidDays > 0 && enrolledDays + 1 > offer.ValidDays)
        {
            return (OfferCodes.Expired, $"Only for the first {offer.ValidDays} day(s) after enrolment (day 1 is the enrolment day); this is day {enrolledDays + 1}.");
        }

        if (coupon is not null)
        {
            if (context.At < coupon.IssuedAt)
            {
                return (OfferCodes.NotStarted, $"Coupon '{coupon.CouponId}' was issued at {coupon.IssuedAt:O}, after this purchase.");
            }

            if (context.At >= coupon.ExpiresAt)
            {
                return (OfferCodes.Expired, $"Coupon '{coupon.CouponId}' expired at {coupon.ExpiresAt:yyyy-MM-dd HH:mm}.");
            }
        }

        if (schedule && !offer.RunsAt(context.Date, context.Minute))
        {
            return (OfferCodes.OutsideTimeWindow, $"The offer runs {offer.ScheduleText}; it is {EnumText<DayOfWeek>.Name(context.Date.DayOfWeek)} {context.Date:yyyy-MM-dd} {context.Minute / 60:00}:{context.Minute % 60:00}.");
        }

        if (offer.StoreIds.Length > 0 && context.StoreId is not null && Array.IndexOf(offer.StoreIds, context.StoreId) < 0)
        {
            return (OfferCodes.NotTargeted, $"Only in stores: {offer.StoresText}.");
        }

        if (offer.TierMask != 0 && (offer.TierMask & (1 << (int)context.Tier)) == 0)
        {
            return (OfferCodes.NotTargeted, $"Only for tiers: {offer.TiersText}; the member is {EnumText<Tier>.Name(context.Tier)}.");
        }

        if (offer.MinDaysSinceEnrollment >= 0 && enrolledDays < offer.MinDaysSinceEnrollment)
        {
            return (OfferCodes.NotTargeted, $"Only for members enrolled at least {offer.MinDaysSinceEnrollment} day(s) ago; this member enrolled {enrolledDays} day(s) ago.");
        }

        if (offer.MaxDaysSinceEnrollment >= 0 && enrolledDays > offer.MaxDaysSinceEnrollment)
        {
            return (OfferCodes.NotTargeted, $"Only for members enrolled at most {offer.MaxDaysSinceEnrollment} day(s) ago; this member enrolled {enrolledDays} day(s) ago.");
        }

        if (offer.HasPersonalTargeting && PersonalRefusal(context, offer) is { } personal)
        {
            return (OfferCodes.NotTargeted, personal);
        }

        if (offer.PerMember > 0)
        {
            var used = State.OfferUses.TryGetValue(offer.Id, out var counter) ? counter.CountIn(offer.Period, OfferUseCounter.Key(offer.Period, context.Date)) : 0;
            if (used >= offer.PerMember)
            {
                return (OfferCodes.LimitReached, $"Used {used} time(s) {offer.PeriodText}; the limit is {offer.PerMember}.");
            }
        }

        return null;
    }

    /// <summary>The personalised conditions (the caller has checked consent): segment, lifecycle, risk flags, birthday, affinity.</summary>
    private string? PersonalRefusal(OfferContext context, CompiledOffer offer)
    {
        var facts = context.Facts;
        if (offer.Segments.Length > 0 && Array.IndexOf(offer.Segments, facts.Segment) < 0)
        {
            return $"Only for segments: {offer.SegmentsText}; the member is in {(facts.Segment.Length == 0 ? "none (no purchase yet)" : facts.Segment)}.";
        }

        if (offer.LifecycleMask != 0 && (offer.LifecycleMask & (1 << (int)facts.Stage)) == 0)
        {
            return $"Only for lifecycle stages: {offer.StagesText}; the member is {EnumText<LifecycleStage>.Name(facts.Stage)}.";
        }

        if (offer.RiskFlags.Length > 0 && !HasAnyFlag(facts.Flags, offer.RiskFlags))
        {
            return $"Only for members flagged: {string.Join(", ", offer.RiskFlags)}.";
        }

        if (offer.ExcludeRiskFlags.Length > 0 && HasAnyFlag(facts.Flags, offer.ExcludeRiskFlags))
        {
            return $"Not for members flagged: {string.Join(", ", offer.ExcludeRiskFlags)}.";
        }

        if (offer.Birthday is { } window && !InBirthday(State.Birthday, context.Date, window))
        {
            return State.Birthday is null
                ? "Only around the member's birthday, and the member gave none."
                : $"Only in the member's birthday {EnumText<BirthdayWindow>.Name(window)}.";
        }

        if (offer.Affinity.Length > 0)
        {
            var any = false;
            foreach (var category in offer.Affinity)
            {
                any |= context.HasAffinity(category);
            }

            if (!any)
            {
                return $"Only for frequent buyers of: {offer.AffinityText}.";
            }
        }

        return null;

        static bool HasAnyFlag(List<FlagView> standing, string[] codes)
        {
            foreach (var flag in standing)
            {
                if (Array.IndexOf(codes, flag.Code) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// What the basket must hold, and what the offer gives on it (discount, groups, covered amount),
    /// computed on the lines at the prices the till sent. Returns why it does not qualify, or null.
    /// </summary>
    private static string? BasketRefusal(CompiledOffer offer, IReadOnlyList<PurchaseLine> lines, long totalFen, OfferCandidate candidate)
    {
        if (offer.MinSpendFen > 0 && totalFen < offer.MinSpendFen)
        {
            return $"The basket must reach {Money(offer.MinSpendFen)}; it holds {Money(totalFen)}.";
        }

        if (offer.MinQuantity > 0)
        {
            long units = 0;
            foreach (var line in lines)
            {
                if (offer.BasketLines.Matches(line))
                {
                    units += line.Quantity;
                }
            }

            if (units < offer.MinQuantity)
            {
                return $"The basket needs {offer.MinQuantity} unit(s) of {offer.BasketLinesText}; it holds {units}.";
            }
        }

        long scopeFen = 0, scopeUnits = 0;
        if (offer.Scope.Everything)
        {
            scopeFen = totalFen;
            foreach (var line in lines)
            {
                scopeUnits += line.Quantity;
            }
        }
        else
        {
            foreach (var line in lines)
            {
                if (offer.Scope.Matches(line))
                {
                    scopeFen += line.AmountFen;
                    scopeUnits += line.Quantity;
                }
            }

            if (scopeUnits == 0)
            {
                return $"No line the offer covers ({offer.ScopeText}).";
            }
        }

        candidate.ScopeFen = scopeFen;
        switch (offer.Kind)
        {
            case OfferKind.AmountOff:
                AmountStep? reached = null;
                foreach (var step in offer.Steps)
                {
                    if (scopeFen >= step.MinSpendFen)
                    {
                        reached = step;
                    }
                }

                if (reached is null)
                {
                    var first = offer.Steps.Length == 0 ? 0 : offer.Steps[0].MinSpendFen;
                    return $"A spend of {Money(scopeFen)} on {offer.ScopeText} reaches no step; the first needs {Money(first)}.";
                }

                candidate.DiscountFen = reached.OffFen;
                break;
            case OfferKind.PercentOff:
                candidate.DiscountFen = (long)decimal.Floor(scopeFen * offer.Percent / 100m);
                break;
            case OfferKind.BuyXGetY:
                var group = offer.BuyQuantity + offer.FreeQuantity;
                var applications = Math.Min(scopeUnits / group, offer.PerBasket);
                if (applications == 0)
                {
                    return $"Needs {group} unit(s) of {offer.ScopeText}; the basket holds {scopeUnits}.";
                }

                candidate.Applications = (int)applications;
                if (offer.FreeQuantity > 0)
                {
                    candidate.DiscountFen = CheapestUnits(offer.Scope, lines, applications * offer.FreeQuantity);
                }

                break;
            case OfferKind.BonusPoints:
                candidate.BonusPoints = offer.Points;
                break;
        }

        return null;
    }

    /// <summary>What the cheapest <paramref name="units"/> covered units cost (each unit at its line's amount ÷ quantity, rounded down).</summary>
    private static long CheapestUnits(LineFilter scope, IReadOnlyList<PurchaseLine> lines, long units)
    {
        var covered = new List<PurchaseLine>();
        foreach (var line in lines)
        {
            if (scope.Matches(line) && line.Quantity > 0)
            {
                covered.Add(line);
            }
        }

        // By unit price, compared exactly: a.Amount / a.Quantity < b.Amount / b.Quantity.
        covered.Sort((a, b) => ((Int128)a.AmountFen * b.Quantity).CompareTo((Int128)b.AmountFen * a.Quantity));
        long free = 0;
        foreach (var line in covered)
        {
            if (units <= 0)
            {
                break;
            }

            var taken = Math.Min(units, line.Quantity);
            free += (long)((Int128)line.AmountFen * taken / line.Quantity);
            units -= taken;
        }

        return free;
    }

    /// <summary>Discounts of stackable candidates: those that apply unless an exclusive offer wins.</summary>
    private static long SureDiscount(List<OfferCandidate> candidates)
    {
        long sum = 0;
        foreach (var candidate in candidates)
        {
            if (candidate.Offer.Stacking == OfferStacking.Stackable)
            {
                sum += candidate.DiscountFen;
            }
        }

        return sum;
    }

    /// <summary>
    /// Stacking: the exclusive candidate of highest priority applies alone; otherwise every stackable
    /// candidate and the most valuable best-of candidate (ties: higher priority, then id) apply. The
    /// applied ones are kept in stacking order (priority, then id).
    /// </summary>
    private static void Stack(List<OfferCandidate> candidates, OfferRun run)
    {
        candidates.Sort(static (a, b) =>
        {
            var byPriority = b.Offer.Priority.CompareTo(a.Offer.Priority);
            if (byPriority != 0)
            {
                return byPriority;
            }

            var byId = string.CompareOrdinal(a.Offer.Id, b.Offer.Id);
            return byId != 0 ? byId : string.CompareOrdinal(a.Coupon?.CouponId, b.Coupon?.CouponId);
        });

        OfferCandidate? exclusive = null;
        OfferCandidate? best = null;
        foreach (var candidate in candidates)
        {
            if (candidate.Offer.Stacking == OfferStacking.Exclusive)
            {
                exclusive ??= candidate;
            }
            else if (candidate.Offer.Stacking == OfferStacking.BestOf && (best is null || candidate.ValueFen > best.ValueFen))
            {
                best = candidate;
            }
        }

        foreach (var candidate in candidates)
        {
            if (exclusive is not null)
            {
                if (ReferenceEquals(candidate, exclusive))
                {
                    run.Applied.Add(candidate);
                }
                else
                {
                    run.Decisions.Add(Refused(candidate, OfferCodes.ExcludedByStacking, $"The exclusive offer '{exclusive.Offer.Id}' applies alone."));
                }
            }
            else if (candidate.Offer.Stacking == OfferStacking.Stackable || ReferenceEquals(candidate, best))
            {
                run.Applied.Add(candidate);
            }
            else
            {
                run.Decisions.Add(Refused(candidate, OfferCodes.ExcludedByStacking, $"Only one best-of offer applies, and '{best!.Offer.Id}' is worth more ({Money(best.ValueFen)} against {Money(candidate.ValueFen)})."));
            }
        }
    }

    /// <summary>
    /// Settles the applied offers in stacking order: discounts first (each at most what is left to
    /// pay), then what the basket earns on the amount paid, then points offers on those rate points,
    /// then the rest (gifts, coupons). With <paramref name="take"/> each budget is taken as its
    /// amount becomes known; an offer whose budget is gone is dropped.
    /// </summary>
    private void Finalize(ProgramRules rules, OfferContext context, OfferRun run, IOfferBudget budget, bool take, long capHeadroom)
    {
        var remaining = context.TotalFen;
        var applied = run.Applied;
        var kept = new List<OfferCandidate>(applied.Count);
        foreach (var candidate in applied)
        {
            if (!GivesDiscount(candidate))
            {
                continue;
            }

            var wanted = candidate.DiscountFen;
            candidate.DiscountFen = Math.Min(wanted, remaining);
            if (candidate.DiscountFen == 0)
            {
                run.Decisions.Add(Refused(candidate, OfferCodes.ExcludedByStacking, "The offers before it leave nothing to discount."));
                continue;
            }

            if (TakeBudget(candidate, budget, take, run))
            {
                remaining -= candidate.DiscountFen;
                kept.Add(candidate);
            }
        }

        run.DiscountFen = context.TotalFen - remaining;
        run.Earning = Earn(rules, context.Lines, context.TotalFen, remaining, context.StoreId ?? string.Empty, context.At, context.Tier, State.Birthday, capHeadroom);
        foreach (var candidate in applied)
        {
            if (GivesDiscount(candidate))
            {
                continue;
            }

            if (candidate.Offer.Kind == OfferKind.PointsMultiplier)
            {
                candidate.BonusPoints = MultiplierBonus(run.Earning.RatePoints, candidate.Offer.Multiplier, candidate.ScopeFen, context.TotalFen);
                if (candidate.BonusPoints == 0)
                {
                    run.Decisions.Add(Refused(candidate, OfferCodes.BasketCondition, "The purchase earns no rate points to multiply."));
                    continue;
                }
            }

            if (TakeBudget(candidate, budget, take, run))
            {
                run.BonusPoints += candidate.BonusPoints;
                kept.Add(candidate);
            }
        }

        // Back to stacking order (discounts were settled first).
        kept.Sort((a, b) => applied.IndexOf(a).CompareTo(applied.IndexOf(b)));
        run.Applied.Clear();
        run.Applied.AddRange(kept);
    }

    private static bool GivesDiscount(OfferCandidate candidate) =>
        candidate.Offer.Kind is OfferKind.AmountOff or OfferKind.PercentOff || (candidate.Offer.Kind == OfferKind.BuyXGetY && candidate.Offer.FreeQuantity > 0);

    /// <summary>Takes (or, in a quote, only checks) the candidate's budget; false, with a decision, when it is exhausted.</summary>
    private static bool TakeBudget(OfferCandidate candidate, IOfferBudget budget, bool take, OfferRun run)
    {
        if (candidate.Offer.BudgetUnit is not { } unit)
        {
            return true;
        }

        var units = Units(unit, candidate);
        if (units <= 0)
        {
            return true;
        }

        if (!take)
        {
            return true; // asked already, before stacking
        }

        var token = budget.Take(candidate.Offer.Id, units);
        if (token is null && budget is not UnlimitedOfferBudget)
        {
            run.Decisions.Add(Refused(candidate, OfferCodes.BudgetExhausted, "The campaign budget ran out before this purchase could take from it."));
            return false;
        }

        candidate.BudgetUnits = units;
        candidate.BudgetToken = token;
        return true;
    }

    private static long Units(BudgetUnit unit, OfferCandidate candidate) => unit switch
    {
        BudgetUnit.DiscountFen => candidate.DiscountFen,
        BudgetUnit.Points => candidate.BonusPoints,
        _ => 1,
    };

    /// <summary>The extra points of a multiplier: rate points × (multiplier − 1), for the covered share of the basket; rounded down.</summary>
    private static long MultiplierBonus(long ratePoints, decimal multiplier, long scopeFen, long totalFen) =>
        totalFen <= 0 || ratePoints <= 0 ? 0 : (long)decimal.Floor(ratePoints * (multiplier - 1) * scopeFen / totalFen);

    private static OfferDecision Refused(OfferCandidate candidate, string code, string detail) =>
        new(candidate.Offer.Id, candidate.Offer.Kind, code, detail, candidate.Coupon?.CouponId);

    /// <summary>The terms of a wallet coupon: its template in the program version that issued it (else the active one).</summary>
    private CompiledOffer? CouponTemplate(WalletCoupon coupon)
    {
        var issuedUnder = Programs.Find(coupon.ProgramVersion) ?? Rules;
        return issuedUnder.Offers.ById.TryGetValue(coupon.OfferId, out var template) && template.IsTemplate
            ? template
            : Rules.Offers.ById.TryGetValue(coupon.OfferId, out var current) && current.IsTemplate ? current : null;
    }

    /// <summary>The applied offers as receipts and quotes list them.</summary>
    private static List<AppliedOffer> Applied(OfferRun run, Dictionary<OfferCandidate, string>? issued = null)
    {
        var list = new List<AppliedOffer>(run.Applied.Count);
        foreach (var candidate in run.Applied)
        {
            var offer = candidate.Offer;
            list.Add(new AppliedOffer(
                offer.Id,
                offer.Kind,
                offer.Title,
                candidate.DiscountFen,
                candidate.BonusPoints,
                offer.Kind == OfferKind.PointsMultiplier ? offer.Multiplier : 1m,
                offer.Kind == OfferKind.BuyXGetY && offer.FreeQuantity == 0 ? offer.Gift : null,
                candidate.Applications,
                candidate.Coupon?.CouponId,
                issued is not null && issued.TryGetValue(candidate, out var couponId) ? couponId : null));
        }

        return list;
    }

    /// <summary>
    /// Books what an accrual's offers gave: each use counted once against the member's limits, its
    /// row for the store, bonus points as their own ledger rows, coupons used or issued. Kept with the
    /// purchase for refunds. Nothing here can fail: the budgets are already taken.
    /// </summary>
    private List<PurchaseOffer> BookOffers(ProgramRules rules, OfferRun run, AccrueCommand command, DateTimeOffset at, DateTimeOffset now, DateTimeOffset availableAt, Dictionary<OfferCandidate, string> issued)
    {
        var booked = new List<PurchaseOffer>(run.Applied.Count);
        var date = rules.LocalDate(at);
        foreach (var candidate in run.Applied)
        {
            var offer = candidate.Offer;
            var key = OfferUseCounter.Key(offer.Period, date);
            CountUse(offer.Id, offer.Period, key, +1, now);
            if (candidate.Coupon is { } coupon)
            {
                coupon.Status = CouponStatus.Used;
                coupon.UsedBy = command.RequestId;
                coupon.UsedAt = at;
            }

            string? issuedId = null;
            if (offer.Kind == OfferKind.Coupon && rules.Offers.Template(offer) is { } template)
            {
                issuedId = IssueCoupon(rules, offer, template, now, command.RequestId, "purchase");
                issued[candidate] = issuedId;
            }

            if (candidate.BonusPoints > 0)
            {
                AddLot(candidate.BonusPoints, at, command.RequestId, availableAt, command.StoreId, command.TerminalId, LedgerKind.Offer, offer.Id);
            }

            _pendingOfferUses.Add(new OfferUse(offer.Id, command.RequestId, candidate.BudgetUnits, candidate.BudgetToken, candidate.DiscountFen, candidate.BonusPoints, false, at, candidate.Coupon?.CouponId ?? issuedId));
            booked.Add(new PurchaseOffer
            {
                OfferId = offer.Id,
                Kind = offer.Kind,
                DiscountFen = candidate.DiscountFen,
                BonusPoints = candidate.BonusPoints,
                Multiplier = offer.Kind == OfferKind.PointsMultiplier ? offer.Multiplier : 0,
                ScopeFen = candidate.ScopeFen,
                MinSpendFen = offer.MinSpendFen,
                Period = offer.Period,
                PeriodKey = key,
                BudgetUnit = offer.BudgetUnit,
                BudgetUnits = candidate.BudgetUnits,
                BudgetToken = candidate.BudgetToken,
                CouponId = candidate.Coupon?.CouponId,
                IssuedCouponId = issuedId,
            });
        }

        return booked;
    }

    /// <summary>Counts (or, negative, gives back) a use of an offer in a period; keeps the periods a late checkout can still reach.</summary>
    private void CountUse(string offerId, LimitPeriod period, long key, int delta, DateTimeOffset now)
    {
        if (!State.OfferUses.TryGetValue(offerId, out var counter))
        {
            if (delta <= 0)
            {
                return;
            }

            counter = State.OfferUses[offerId] = new OfferUseCounter();
        }

        counter.Add(period, key, delta, Rules.LocalDate(now).AddDays(-OfferUseCounter.DaysKept));
    }

    /// <summary>Puts a coupon of <paramref name="template"/> in the wallet, valid from now for the template's days (not past its last day), and raises coupon_issued.</summary>
    private string IssueCoupon(ProgramRules rules, CompiledOffer issuer, CompiledOffer template, DateTimeOffset now, string requestId, string trigger)
    {
        var id = CouponId(State.MemberId, ++State.CouponSeq);
        var expires = rules.StartOf(rules.LocalDate(now).AddDays(template.WalletValidDays));
        if (template.ToDay != int.MaxValue)
        {
            var end = rules.StartOf(DateOnly.FromDayNumber(template.ToDay).AddDays(1));
            expires = end < expires ? end : expires;
        }

        State.Wallet.Add(new WalletCoupon
        {
            CouponId = id,
            OfferId = template.Id,
            IssuedBy = issuer.Id,
            ProgramVersion = rules.Version,
            SourceRequestId = requestId,
            IssuedAt = now,
            ExpiresAt = expires,
            Status = CouponStatus.Open,
        });
        (_couponsIssued ??= []).Add(id);
        Raise(EventKinds.CouponIssued, now, ("coupon_id", id), ("offer_id", template.Id), ("issued_by", issuer.Id), ("trigger", trigger), ("expires_at", expires.ToString("O", CultureInfo.InvariantCulture)));
        return id;
    }

    /// <summary>
    /// Issues the coupons of the coupon offers an event triggers (birthday week, churn risk, an activity
    /// count), to members they target and within their limits and budgets. A schedule does not apply
    /// to events. Runs inside an operation after every check has passed.
    /// </summary>
    private void IssueOnEvent(ProgramRules rules, IEnumerable<CompiledOffer> issuers, string trigger, DateTimeOffset now, string requestId)
    {
        OfferContext? context = null;
        foreach (var issuer in issuers)
        {
            if (rules.Offers.Template(issuer) is not { } template)
            {
                continue;
            }

            context ??= EventContext(rules, now);
            if (Refusal(context, issuer, null, schedule: false) is not null)
            {
                continue;
            }

            string? token = null;
            long units = 0;
            if (issuer.BudgetUnit is not null)
            {
                units = 1;
                token = Budget.Take(issuer.Id, units);
                if (token is null && Budget is not UnlimitedOfferBudget)
                {
                    continue;
                }
            }

            var couponId = IssueCoupon(rules, issuer, template, now, requestId, trigger);
            CountUse(issuer.Id, issuer.Period, OfferUseCounter.Key(issuer.Period, context.Date), +1, now);
            // Keyed by the coupon, not the request: time-triggered issues all share the sweeper's
            // request id, and each issue is its own use of the campaign.
            _pendingOfferUses.Add(new OfferUse(issuer.Id, couponId, units, token, 0, 0, false, now, couponId));
        }
    }

    private OfferContext EventContext(ProgramRules rules, DateTimeOffset now)
    {
        var local = rules.LocalTime(now);
        return new OfferContext(this, rules, now, DateOnly.FromDateTime(local), (local.Hour * 60) + local.Minute, State.HomeStoreId, State.Tier, [], 0);
    }

    /// <summary>Whether <paramref name="date"/> is within the birthday's day, week (Monday to Sunday) or month.</summary>
    private static bool InBirthday(DateOnly? birthday, DateOnly date, BirthdayWindow window)
    {
        if (birthday is not { } born)
        {
            return false;
        }

        switch (window)
        {
            case BirthdayWindow.Month:
                return born.Month == date.Month;
            case BirthdayWindow.Day:
                var day = born.Month == 2 && born.Day == 29 && !DateTime.IsLeapYear(date.Year) ? 28 : born.Day;
                return born.Month == date.Month && day == date.Day;
            default:
                for (var year = date.Year - 1; year <= date.Year + 1; year++)
                {
                    var start = ProgramRules.BirthdayWeekStart(born, year);
                    if (date >= start && date < start.AddDays(7))
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    /// <summary>An offer that passed every check but stacking and budget, with what it would give.</summary>
    private sealed class OfferCandidate(CompiledOffer offer, WalletCoupon? coupon)
    {
        public CompiledOffer Offer { get; } = offer;

        public WalletCoupon? Coupon { get; } = coupon;

        public int Applications { get; set; } = 1;

        public long DiscountFen { get; set; }

        public long BonusPoints { get; set; }

        /// <summary>What the covered lines cost (the whole basket when the offer covers every line).</summary>
        public long ScopeFen { get; set; }

        /// <summary>Value to the member in fen (discount, points at their redemption value, a gift's estimate): best-of compares it.</summary>
        public long ValueFen { get; set; }

        public long BudgetUnits { get; set; }

        public string? BudgetToken { get; set; }
    }

    /// <summary>The outcome of deciding a basket's offers.</summary>
    private sealed class OfferRun
    {
        public List<OfferCandidate> Applied { get; } = [];

        public List<OfferDecision> Decisions { get; } = [];

        public long DiscountFen { get; set; }

        public long BonusPoints { get; set; }

        public EarnBreakdown Earning { get; set; } = null!;
    }

    /// <summary>One check of offers: the basket, the store-local date and minute, and the member facts read (lazily) for personalised targeting.</summary>
    /// <remarks>A null store (a screen shown without one, an event for a member without a home store) skips store targeting.</remarks>
    private sealed class OfferContext(MemberAccount account, ProgramRules rules, DateTimeOffset at, DateOnly date, int minute, string? storeId, Tier tier, IReadOnlyList<PurchaseLine> lines, long totalFen, SharedFacts? shared = null)
    {
        private MemberFacts? _facts;
        private int? _enrolledDay;
        private Dictionary<string, bool>? _affinity;

        public ProgramRules Rules { get; } = rules;

        public DateTimeOffset At { get; } = at;

        public DateOnly Date { get; } = date;

        public int Minute { get; } = minute;

        public string? StoreId { get; } = storeId;

        public Tier Tier { get; } = tier;

        public IReadOnlyList<PurchaseLine> Lines { get; } = lines;

        public long TotalFen { get; } = totalFen;

        public MemberFacts Facts => _facts ??= shared?.At(At) ?? new MemberFacts(account, Rules, At);

        /// <summary>The store-local day number of the member's enrolment.</summary>
        public int EnrolledDay => _enrolledDay ??= Rules.LocalDate(account.State.EnrolledAt).DayNumber;

        /// <summary>Whether the member has the affinity for <paramref name="category"/> on <see cref="Date"/> (remembered for this check).</summary>
        public bool HasAffinity(CategoryRule category)
        {
            _affinity ??= shared?.AffinityOn(Date) ?? [];
            if (!_affinity.TryGetValue(category.Category, out var has))
            {
                has = _affinity[category.Category] = account.HasAffinity(Rules, category, Date);
            }

            return has;
        }
    }

    /// <summary>
    /// Facts several contexts of one view share: a screen weighs every offer in a context of its own
    /// (its own start instant and day), and without this each of them computed the member's RFM,
    /// segment, stage and flags again, the largest part of a screen view after time zone arithmetic.
    /// Facts are per instant and affinity per day, so sharing changes no answer.
    /// </summary>
    private sealed class SharedFacts(MemberAccount account, ProgramRules rules)
    {
        private readonly Dictionary<DateTimeOffset, MemberFacts> _facts = [];
        private readonly Dictionary<DateOnly, Dictionary<string, bool>> _affinity = [];

        public MemberFacts At(DateTimeOffset at)
        {
            if (!_facts.TryGetValue(at, out var facts))
            {
                _facts[at] = facts = new MemberFacts(account, rules, at);
            }

            return facts;
        }

        public Dictionary<string, bool> AffinityOn(DateOnly date)
        {
            if (!_affinity.TryGetValue(date, out var byCategory))
            {
                _affinity[date] = byCategory = [];
            }

            return byCategory;
        }
    }

    /// <summary>What personalised targeting reads, computed on first use only.</summary>
    private sealed class MemberFacts(MemberAccount account, ProgramRules rules, DateTimeOffset at)
    {
        private RfmView? _rfm;
        private string? _segment;
        private LifecycleStage? _stage;
        private List<FlagView>? _flags;

        public RfmView Rfm => _rfm ??= account.Rfm(rules, at);

        public string Segment => _segment ??= account.Segment(rules, Rfm, at);

        public LifecycleStage Stage => _stage ??= account.Lifecycle(rules, Rfm, at);

        public List<FlagView> Flags => _flags ??= account.Flags(rules, at);
    }
}
