using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>What purchases earn, and the checkout quote that computes it without changing anything.</summary>
public sealed partial class MemberAccount
{
    /// <summary>
    /// Points a basket earns. The eligible spend is the net amount up to the room left under the
    /// daily cap; the whole eligible spend earns at its bracket's rate, each line weighted by its
    /// category and campaign multipliers, then the tier and birthday multipliers apply to the rate
    /// points; the threshold bonus is added unmultiplied. Rounded down once, at the end.
    /// </summary>
    /// <param name="rules">The program deciding.</param>
    /// <param name="lines">The purchase's lines (their amounts weight the line multipliers).</param>
    /// <param name="linesTotalFen">What the lines add up to.</param>
    /// <param name="netFen">The amount that earns: the basket, or what is left of it after refunds.</param>
    /// <param name="storeId">Store of the purchase (campaigns may be per store).</param>
    /// <param name="at">When it was bought (calendar rules).</param>
    /// <param name="tier">The member's tier when buying.</param>
    /// <param name="birthday">The member's birthday, if known.</param>
    /// <param name="capHeadroomFen">Room left under the daily cap before this purchase.</param>
    public static EarnBreakdown Earn(
        ProgramRules rules,
        IReadOnlyList<PurchaseLine> lines,
        long linesTotalFen,
        long netFen,
        string storeId,
        DateTimeOffset at,
        Tier tier,
        DateOnly? birthday,
        long capHeadroomFen)
    {
        var eligible = Math.Max(0, Math.Min(netFen, capHeadroomFen));
        var capReached = rules.Earning.DailyCapFen > 0 && netFen >= capHeadroomFen;
        var date = rules.LocalDate(at);
        var campaigns = new List<string>();
        var weighted = 0m;
        foreach (var line in lines)
        {
            weighted += line.AmountFen * rules.LineMultiplier(line.Category, storeId, date, campaigns);
        }

        var bracket = rules.BracketFor(eligible);
        var tierMultiplier = rules.Level(tier).EarnMultiplier;
        var birthdayMultiplier = rules.InBirthdayPeriod(birthday, date) ? rules.Earning.Birthday.Multiplier : 1m;
        long ratePoints = 0;
        if (eligible > 0 && linesTotalFen > 0)
        {
            // One division at the end: the weighted lines scaled to the eligible amount, at the rate per whole unit (100 fen).
            var numerator = weighted * eligible * bracket.PointsPerUnit * tierMultiplier * birthdayMultiplier;
            ratePoints = (long)decimal.Floor(numerator / (linesTotalFen * 100m));
        }

        var bonus = eligible > 0 ? rules.ThresholdBonusFor(eligible) : 0;
        return new EarnBreakdown(eligible, bracket.PointsPerUnit, tierMultiplier, birthdayMultiplier, campaigns, ratePoints, bonus, capReached);
    }

    /// <summary>A dry run of a checkout for this member now, with the account's <see cref="OfferBudget"/>. Changes nothing.</summary>
    public CheckoutQuote Quote(QuoteCommand command, DateTimeOffset now) => Quote(command, now, OfferBudget);

    /// <summary>
    /// A dry run of a checkout for this member now: which offers apply (in the order they stack, with
    /// what each gives) and which don't and why, what the basket earns on the amount paid after the
    /// discounts, and what points can pay of that amount. Changes nothing and takes no budget
    /// (<see cref="IOfferBudget.CanTake"/> only).
    /// </summary>
    public CheckoutQuote Quote(QuoteCommand command, DateTimeOffset now, IOfferBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        Validate.Id("store_id", command.StoreId);
        ValidateBasket(command.TotalFen, command.Lines);
        Validate.ZeroOrPositive("redeem_points", command.RedeemPoints, Limits.MaxRedemptionPoints);
        ValidateCoupons(command.CouponIds);
        var rules = Rules;
        var tier = ReviewTier(rules, now).Tier;
        var offers = RunOffers(rules, command.StoreId, command.TotalFen, command.Lines, command.CouponIds, now, tier, CapHeadroom(rules, rules.LocalDate(now)), budget, take: false, listUnpresented: true);
        var earning = offers.Earning;
        var basket = command.TotalFen - offers.DiscountFen;
        var available = AvailableAt(now);
        var maxPoints = rules.MaxRedeemablePoints(available, basket);
        var maxValue = maxPoints > 0 ? rules.RedemptionValueFen(maxPoints) : 0;
        var reasons = new List<string>();
        var asked = command.RedeemPoints;
        long askedValue = 0;
        if (asked > 0)
        {
            askedValue = rules.RedemptionValueFen(asked);
            if (!rules.IsRedeemableAmount(asked))
            {
                reasons.Add("invalid_amount");
            }

            if (asked > available)
            {
                reasons.Add("insufficient_points");
            }

            if (askedValue > rules.MaxRedemptionValueFen(basket))
            {
                reasons.Add("basket_share_exceeded");
            }
        }

        var decision = RedemptionDecision.Approve;
        if (reasons.Count > 0)
        {
            decision = RedemptionDecision.Decline;
        }
        else if (asked > 0 || maxPoints > 0)
        {
            (decision, var risk) = Decide(rules, asked > 0 ? asked : maxPoints, now);
            reasons.AddRange(risk);
        }

        var paid = asked > 0 && decision != RedemptionDecision.Decline ? askedValue : 0;
        return new CheckoutQuote(
            earning,
            available,
            maxPoints,
            maxValue,
            asked,
            askedValue,
            command.TotalFen - paid,
            decision,
            reasons,
            rules.Level(tier).DiscountPercent,
            rules.Version,
            offers.Applied.Count == 0 ? [] : Applied(offers),
            offers.Decisions,
            offers.DiscountFen,
            offers.BonusPoints,
            basket - paid);
    }

    /// <summary>Room left under the daily cap on a store-local <paramref name="day"/> (long.MaxValue without a cap).</summary>
    private long CapHeadroom(ProgramRules rules, DateOnly day)
    {
        var cap = rules.Earning.DailyCapFen;
        if (cap <= 0)
        {
            return long.MaxValue;
        }

        // The latest day is counted as it goes; an earlier one (a purchase sent late) is summed
        // from that day's purchases, which are kept for refunds far longer than a till may wait.
        var used = day == State.CapDay ? State.CapDayEligibleFen
            : day > State.CapDay ? 0
            : State.Purchases.Values.Where(p => rules.LocalDate(p.At) == day).Sum(p => p.Receipt.Earning?.EligibleFen ?? 0);
        return Math.Max(0, cap - used);
    }

    /// <summary>Counts eligible spend against the cap of its store-local day.</summary>
    private void CountAgainstCap(DateOnly day, long eligibleFen)
    {
        if (day == State.CapDay)
        {
            State.CapDayEligibleFen += eligibleFen;
        }
        else if (day > State.CapDay)
        {
            State.CapDay = day;
            State.CapDayEligibleFen = eligibleFen;
        }

        // An earlier day's use is read from its purchases (CapHeadroom).
    }

    /// <summary>What <paramref name="purchase"/> earns when <paramref name="netFen"/> of what was paid is left, under the conditions it was made in (null when nothing is left).</summary>
    private EarnBreakdown? EarnedBy(ProgramRules rules, PurchaseRecord purchase, long netFen) =>
        netFen <= 0
            ? null
            : Earn(rules, purchase.Lines, purchase.TotalFen, netFen, purchase.StoreId, purchase.At, purchase.Tier, State.Birthday, purchase.CapHeadroomFen);

    /// <summary>
    /// Counts a purchase (made <paramref name="at"/>, <paramref name="paidFen"/> paid) in its month, in the
    /// recent purchases the velocity rule watches, and in the member's category stats.
    /// </summary>
    private void RecordPurchase(ProgramRules rules, AccrueCommand command, long paidFen, DateTimeOffset at)
    {
        var bucket = Bucket(rules.LocalMonth(at));
        bucket.GrossFen += paidFen;
        CountCategories(command.Lines, at);
        bucket.Purchases++;
        if (command.Lines.All(l => l.Promoted))
        {
            bucket.PromotionOnlyPurchases++;
        }

        // Oldest first, also when a purchase arrives late.
        State.RecentPurchases.Insert(State.RecentPurchases.FindLastIndex(t => t <= at) + 1, at);
        var velocity = rules.Risk.Velocity;
        var window = TimeSpan.FromMinutes(velocity.WindowMinutes);
        var inWindow = State.RecentPurchases.Count(t => t > at - window && t <= at);
        if (inWindow > velocity.MaxPurchases)
        {
            RaiseFlag(RiskCodes.Velocity, at, velocity.FlagHours, $"{inWindow} purchases within {velocity.WindowMinutes} minutes.");
        }
    }

    /// <summary>The bucket of a store-local month, created in order when missing.</summary>
    private MonthBucket Bucket(int month)
    {
        var index = State.Months.FindIndex(b => b.Month >= month);
        if (index >= 0 && State.Months[index].Month == month)
        {
            return State.Months[index];
        }

        var bucket = new MonthBucket { Month = month };
        State.Months.Insert(index < 0 ? State.Months.Count : index, bucket);
        return bucket;
    }
}
