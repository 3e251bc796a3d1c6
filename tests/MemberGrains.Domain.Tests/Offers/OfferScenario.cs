using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>Members on the whole default program (offers included) or on programs with offers of a test's own.</summary>
internal static class OfferScenario
{
    /// <summary>Thursday 5 March 2026, 10:00 in Shanghai: members of the worked examples enrol then.</summary>
    public static readonly DateTimeOffset Enrolled = Local(2026, 3, 5);

    /// <summary>A store-local instant (Asia/Shanghai, no daylight saving).</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour = 10, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>The whole default program.</summary>
    public static LoyaltyProgram Default => DefaultProgram.Document;

    /// <summary>The default program's rules and categories with only <paramref name="offers"/>.</summary>
    public static LoyaltyProgram With(params Offer[] offers) => Default with { Offers = offers };

    /// <summary>A member enrolled under <paramref name="program"/> (the whole default program when null).</summary>
    public static TestMember Member(LoyaltyProgram? program = null, DateTimeOffset? enrolledAt = null, bool consent = true, DateOnly? birthday = null, string memberId = "m-1") =>
        TestMember.Enroll(enrolledAt ?? Enrolled, programs: new StaticProgramCatalog(program ?? Default, TestPrograms.Version), birthday: birthday, personalisationConsent: consent, memberId: memberId);

    /// <summary>A member enrolled under a given catalog.</summary>
    public static TestMember Member(StaticProgramCatalog catalog, DateTimeOffset? enrolledAt = null, bool consent = true, DateOnly? birthday = null) =>
        TestMember.Enroll(enrolledAt ?? Enrolled, programs: catalog, birthday: birthday, personalisationConsent: consent);

    public static PurchaseLine Line(string category, long amountFen, int quantity = 1, string? sku = null, bool promoted = false) =>
        new(sku ?? "SKU-" + category, category, quantity, amountFen, promoted);

    /// <summary>A purchase of <paramref name="lines"/> at the test store.</summary>
    public static AccrueCommand Purchase(string requestId, params PurchaseLine[] lines) =>
        new(requestId, Cmd.Store, Cmd.Terminal, lines.Sum(l => l.AmountFen), lines);

    /// <summary>A quote of <paramref name="lines"/> at the test store.</summary>
    public static QuoteCommand Basket(params PurchaseLine[] lines) =>
        new(Cmd.Store, lines.Sum(l => l.AmountFen), lines, 0);

    /// <summary>Accrues and drains.</summary>
    public static Receipt Buy(this TestMember member, AccrueCommand command, DateTimeOffset now, IOfferBudget? budget = null)
    {
        var receipt = member.Account.Accrue(command, now, budget ?? UnlimitedOfferBudget.Instance).Receipt;
        member.Drain();
        return receipt;
    }

    /// <summary>Touches the member at <paramref name="now"/> and drains; returns the events raised.</summary>
    public static List<MemberEvent> TouchAndDrainAt(this TestMember member, DateTimeOffset now, IOfferBudget? budget = null)
    {
        var before = member.Events.Count;
        member.Account.Touch(now, budget ?? UnlimitedOfferBudget.Instance);
        member.Drain();
        return [.. member.Events.Skip(before)];
    }

    /// <summary>Buys one line of <paramref name="category"/> and drains.</summary>
    public static Receipt Buy(this TestMember member, string requestId, string category, long amountFen, DateTimeOffset now) =>
        member.Buy(Purchase(requestId, Line(category, amountFen)), now);

    /// <summary>The decision on <paramref name="offerId"/> in a quote (it must not apply).</summary>
    public static OfferDecision Decision(this CheckoutQuote quote, string offerId) =>
        Assert.Single(quote.OfferDecisions!, d => d.OfferId == offerId);

    /// <summary>The ids of the offers that apply, in stacking order.</summary>
    public static string[] AppliedIds(this CheckoutQuote quote) => [.. quote.Offers!.Select(o => o.OfferId)];

    public static string[] AppliedIds(this Receipt receipt) => [.. (receipt.Offers ?? []).Select(o => o.OfferId)];

    public static LocalizedText Text(string en) => new() { En = en, ZhCn = en };

    /// <summary>An offer with harmless defaults: generic, stackable, priority 10, no targeting.</summary>
    public static Offer Offer(string id, OfferKind kind, OfferReward reward) => new()
    {
        Id = id,
        Kind = kind,
        Reason = OfferReason.General,
        Title = Text(id),
        Personalised = false,
        Stacking = OfferStacking.Stackable,
        Priority = 10,
        Reward = reward,
    };

    public static Offer AmountOff(string id, params (long MinSpendFen, long OffFen)[] steps) =>
        Offer(id, OfferKind.AmountOff, new OfferReward { Steps = [.. steps.Select(s => new AmountStep(s.MinSpendFen, s.OffFen))] });

    public static Offer PercentOff(string id, decimal percent, params string[] categories) =>
        Offer(id, OfferKind.PercentOff, new OfferReward { Percent = percent }) with { Scope = categories.Length == 0 ? null : new OfferScope { Categories = categories } };

    public static Offer Multiplier(string id, decimal multiplier) =>
        Offer(id, OfferKind.PointsMultiplier, new OfferReward { Multiplier = multiplier });

    public static Offer Bonus(string id, long points) =>
        Offer(id, OfferKind.BonusPoints, new OfferReward { Points = points });
}
