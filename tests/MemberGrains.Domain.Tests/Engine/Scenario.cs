using System.Globalization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Members on the default program (or a variant of it), and store-local instants to drive them with.</summary>
internal static class Scenario
{
    /// <summary>UTC offset of Asia/Shanghai, the default program's zone (no daylight saving).</summary>
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    /// <summary>A store-local instant in the default program's zone.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, Shanghai);

    /// <summary>An instant as events write it (round-trip format).</summary>
    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// The default program document without its offers. These tests pin the earning, tier, expiry and
    /// risk rules, and they start on Monday 10 March 2025 — a member day (double points) — so the
    /// offers would change every number; the offers are tested in Offers/ on the whole default program.
    /// </summary>
    public static LoyaltyProgram Default => TestPrograms.DefaultWithoutOffers;

    /// <summary>The default program with its earning rules changed.</summary>
    public static LoyaltyProgram WithEarning(Func<EarningRules, EarningRules> change) =>
        Default with { Earning = change(Default.Earning) };

    /// <summary>The default program with its risk rules changed.</summary>
    public static LoyaltyProgram WithRisk(Func<RiskRules, RiskRules> change) =>
        Default with { Risk = change(Default.Risk) };

    /// <summary>A catalog whose version 1 is <paramref name="program"/> (the default program when null).</summary>
    public static StaticProgramCatalog Catalog(LoyaltyProgram? program = null) => new(program ?? Default, TestPrograms.Version);

    /// <summary>A member enrolled at <paramref name="at"/> (T0 when null) under <paramref name="program"/> (the default when null).</summary>
    public static TestMember Member(DateTimeOffset? at = null, LoyaltyProgram? program = null, DateOnly? birthday = null) =>
        TestMember.Enroll(at ?? TestMember.T0, programs: Catalog(program), birthday: birthday);

    /// <summary>A member enrolled under a given catalog.</summary>
    public static TestMember Member(StaticProgramCatalog catalog, DateTimeOffset? at = null, DateOnly? birthday = null) =>
        TestMember.Enroll(at ?? TestMember.T0, programs: catalog, birthday: birthday);

    /// <summary>A reservation with a basket (the default program lets points pay at most half of one).</summary>
    public static ReserveCommand Reserve(string requestId, long points, long basketFen, TimeSpan? holdFor = null) =>
        Cmd.Reserve(requestId, points, holdFor) with { BasketFen = basketFen };

    /// <summary>Reserves with a basket twice the points' value, so the basket share never limits.</summary>
    public static Receipt ReserveAmply(this TestMember member, string requestId, long points, DateTimeOffset now, TimeSpan? holdFor = null) =>
        member.Account.Reserve(Reserve(requestId, points, points * 2, holdFor), now).Receipt;

    /// <summary>A purchase of one line of <paramref name="category"/>.</summary>
    public static AccrueCommand Purchase(string requestId, long totalFen, string category = "food", bool promoted = false, string store = Cmd.Store) =>
        new(requestId, store, Cmd.Terminal, totalFen, [new PurchaseLine("SKU-1", category, 1, totalFen, promoted)]);

    /// <summary>A purchase of several lines; the total is their sum.</summary>
    public static AccrueCommand Basket(string requestId, params PurchaseLine[] lines) =>
        new(requestId, Cmd.Store, Cmd.Terminal, lines.Sum(l => l.AmountFen), lines);

    /// <summary>A quote of a one-line basket.</summary>
    public static QuoteCommand Quote(long totalFen, long redeemPoints = 0, string category = "food") =>
        new(Cmd.Store, totalFen, [new PurchaseLine("SKU-1", category, 1, totalFen)], redeemPoints);

    /// <summary>An activity at the test store.</summary>
    public static ActivityCommand Activity(string requestId, string kind, string reference = "") =>
        new(requestId, Cmd.Store, Cmd.Terminal, kind, reference);

    /// <summary>Buys <paramref name="totalFen"/> of food and drains; returns the points earned.</summary>
    public static long Buy(this TestMember member, string requestId, long totalFen, DateTimeOffset now)
    {
        var points = member.Accrue(requestId, totalFen, now).Receipt.Points;
        member.Drain();
        return points;
    }

    /// <summary>Touches the member and drains; returns the events raised.</summary>
    public static List<MemberEvent> TouchAndDrain(this TestMember member, DateTimeOffset now)
    {
        var before = member.Events.Count;
        member.Account.Touch(now);
        member.Drain();
        return member.Events.Skip(before).ToList();
    }

    /// <summary>The data of the member's events of <paramref name="kind"/>.</summary>
    public static List<IReadOnlyDictionary<string, string>> EventsOf(this TestMember member, string kind)
    {
        member.Drain();
        return [.. member.Events.Where(e => e.Kind == kind).Select(e => e.Data)];
    }
}
