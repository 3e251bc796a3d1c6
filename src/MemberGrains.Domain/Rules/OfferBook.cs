namespace MemberGrains.Domain.Rules;

/// <summary>
/// A program's offers and categories, compiled once per version and indexed for the paths that read
/// them: the till offers a basket is checked against (highest priority first), coupon templates by
/// id, the offers each member event issues, and the categories with affinity or replenishment rules.
/// </summary>
internal sealed class OfferBook
{
    public OfferBook(ProgramRules rules)
    {
        var document = rules.Document;
        var categories = new Dictionary<string, CategoryRule>(StringComparer.Ordinal);
        foreach (var category in document.Categories ?? [])
        {
            if (category?.Category is { } name)
            {
                categories.TryAdd(name, category);
            }
        }

        Categories = categories;
        AffinityCategories = [.. categories.Values.Where(c => c.Affinity is not null)];
        ReplenishCategories = [.. categories.Values.Where(c => c.Replenish is not null)];

        var all = new List<CompiledOffer>();
        foreach (var offer in document.Offers ?? [])
        {
            if (offer?.Id is not null && offer.Reward is not null)
            {
                all.Add(new CompiledOffer(offer, categories));
            }
        }

        // The order offers stack in: highest priority first, then by id so the order never depends on the document's.
        all.Sort((a, b) => a.Priority != b.Priority ? b.Priority.CompareTo(a.Priority) : string.CompareOrdinal(a.Id, b.Id));
        All = [.. all];
        var byId = new Dictionary<string, CompiledOffer>(StringComparer.Ordinal);
        foreach (var offer in All)
        {
            byId.TryAdd(offer.Id, offer);
        }

        ById = byId;
        Till = [.. All.Where(o => o.AtTill)];
        BirthdayTriggers = [.. All.Where(o => o is { Kind: OfferKind.Coupon, Trigger: TriggerEvent.BirthdayWeekStarted })];
        ChurnTriggers = [.. All.Where(o => o is { Kind: OfferKind.Coupon, Trigger: TriggerEvent.ChurnRiskRaised })];
        ActivityTriggers = [.. All.Where(o => o is { Kind: OfferKind.Coupon, Trigger: TriggerEvent.ActivityCount })];

        foreach (var offer in All)
        {
            offer.EstimatedValueFen = Estimate(offer, rules, depth: 0);
        }
    }

    /// <summary>Every offer, highest priority first.</summary>
    public CompiledOffer[] All { get; }

    public IReadOnlyDictionary<string, CompiledOffer> ById { get; }

    /// <summary>Offers a till basket is checked against by themselves (not templates, not event-issued), highest priority first.</summary>
    public CompiledOffer[] Till { get; }

    public CompiledOffer[] BirthdayTriggers { get; }

    public CompiledOffer[] ChurnTriggers { get; }

    public CompiledOffer[] ActivityTriggers { get; }

    public IReadOnlyDictionary<string, CategoryRule> Categories { get; }

    public CategoryRule[] AffinityCategories { get; }

    public CategoryRule[] ReplenishCategories { get; }

    /// <summary>The template a coupon offer issues, when the program has it.</summary>
    public CompiledOffer? Template(CompiledOffer couponOffer) =>
        couponOffer.CouponOfferId is { } id && ById.TryGetValue(id, out var template) && template.IsTemplate ? template : null;

    /// <summary>
    /// Value to a member without a basket, for screens: the reward's own valueFen, else the most an
    /// amount off saves, a percentage or multiplier on the offer's minimum basket, bonus points at
    /// their redemption value, a coupon offer's template.
    /// </summary>
    private long Estimate(CompiledOffer offer, ProgramRules rules, int depth)
    {
        if (offer.Source.Reward?.ValueFen is { } given)
        {
            return given;
        }

        switch (offer.Kind)
        {
            case OfferKind.AmountOff:
                return offer.Steps.Length == 0 ? 0 : offer.Steps[^1].OffFen;
            case OfferKind.PercentOff:
                return (long)(offer.MinSpendFen * offer.Percent / 100m);
            case OfferKind.PointsMultiplier:
                if (offer.MinSpendFen <= 0)
                {
                    return 0;
                }

                var points = (long)(offer.MinSpendFen / 100m * rules.BracketFor(offer.MinSpendFen).PointsPerUnit * (offer.Multiplier - 1));
                return PointsValue(rules, points);
            case OfferKind.BonusPoints:
                return PointsValue(rules, offer.Points);
            case OfferKind.Coupon:
                return depth == 0 && Template(offer) is { } template ? Estimate(template, rules, depth + 1) : 0;
            default:
                return 0;
        }
    }

    /// <summary>Points at their redemption value, in fen (never throws on absurd counts).</summary>
    public static long PointsValue(ProgramRules rules, long points) =>
        points <= 0 || rules.Redemption.PointsPerUnit <= 0 ? 0 : (long)Math.Min(long.MaxValue / 2, (decimal)points * 100 / rules.Redemption.PointsPerUnit);
}
