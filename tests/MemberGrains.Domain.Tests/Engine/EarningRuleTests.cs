using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Brackets, threshold bonus, category, campaign, tier and birthday multipliers of the default program at their edges.</summary>
public sealed class EarningRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Theory]
    [InlineData(9_999, 999)] // 99.99 CNY at 10/CNY
    [InlineData(10_000, 1_200)] // 100.00 CNY: the whole basket at 12/CNY
    [InlineData(19_999, 2_399)] // 199.99: no bonus yet (2,399.88 floored)
    [InlineData(20_000, 2_450)] // 200.00: +50
    [InlineData(50_000, 6_050)] // 500.00 is still 12/CNY
    [InlineData(50_001, 7_550)] // 500.01: 7,500.15 floored once, +50
    public void Accrue_AtBracketAndThresholdEdges_EarnsWholeBasketAtItsBracket(long totalFen, long expected)
    {
        var member = Member();

        var receipt = member.Accrue("p-1", totalFen, T0.AddMinutes(1)).Receipt;

        Assert.Equal(expected, receipt.Points);
        Assert.Equal(totalFen >= 20_000 ? 50 : 0, receipt.Earning!.BonusPoints);
        Assert.Equal(totalFen < 10_000 ? 10 : totalFen <= 50_000 ? 12 : 15, receipt.Earning.PointsPerUnit);
    }

    [Fact]
    public void Accrue_TwoLinesWithFractionalPoints_FloorsOnceForTheBasket()
    {
        var member = Member();

        // 0.55 CNY twice: 5.5 points each, 11 for the basket (a floor per line would give 10).
        var receipt = member.Account.Accrue(Basket("p-1", new PurchaseLine("A", "food", 1, 55), new PurchaseLine("B", "food", 1, 55)), T0.AddMinutes(1)).Receipt;

        Assert.Equal(11, receipt.Points);
    }

    [Fact]
    public void Accrue_EcoLine_EarnsOneAndAHalfTimesTheRate()
    {
        var member = Member();

        var receipt = member.Account.Accrue(Purchase("p-1", 10_000, "eco"), T0.AddMinutes(1)).Receipt;

        Assert.Equal(1_800, receipt.Points);
        Assert.Empty(receipt.Earning!.Campaigns);
    }

    [Fact]
    public void Accrue_MixedBasket_MultipliesOnlyTheEcoLineAndTheBracketFollowsTheWholeBasket()
    {
        var member = Member();

        // 150 food + 100 eco = 250 CNY: 12/CNY for the whole basket, eco weighing 1.5: (15,000 + 15,000) × 12 / 100 = 3,600, +50.
        var receipt = member.Account.Accrue(Basket("p-1", new PurchaseLine("F", "food", 1, 15_000), new PurchaseLine("E", "eco", 1, 10_000)), T0.AddMinutes(1)).Receipt;

        Assert.Equal(3_650, receipt.Points);
        Assert.Equal((3_600L, 50L), (receipt.Earning!.RatePoints, receipt.Earning.BonusPoints));
    }

    [Theory]
    [InlineData(14, 23, 59, 1_200, false)] // the evening before
    [InlineData(15, 0, 0, 2_400, true)] // first instant of From
    [InlineData(16, 23, 59, 2_400, true)] // last minute of To: dates are inclusive
    [InlineData(17, 0, 0, 1_200, false)] // the day after
    public void Accrue_AroundCampaignDates_MultipliesOnlyOnStoreLocalDatesInside(int day, int hour, int minute, long expected, bool named)
    {
        var member = Member(program: WithCampaigns(new Campaign { Id = "weekend-x2", Multiplier = 2, From = new(2025, 3, 15), To = new(2025, 3, 16) }));

        var receipt = member.Accrue("p-1", 10_000, Local(2025, 3, day, hour, minute)).Receipt;

        Assert.Equal(expected, receipt.Points);
        Assert.Equal(named ? ["weekend-x2"] : [], receipt.Earning!.Campaigns);
    }

    [Theory]
    [InlineData(12, 7, 3_600)] // Wednesday 07:00 in Shanghai is still Tuesday in UTC: the store's weekday counts
    [InlineData(12, 23, 3_600)]
    [InlineData(13, 0, 1_200)] // Thursday
    [InlineData(11, 23, 1_200)] // Tuesday
    public void Accrue_WeekdayCampaign_MultipliesOnlyOnItsStoreLocalWeekday(int day, int hour, long expected)
    {
        var member = Member(program: WithCampaigns(new Campaign { Id = "wednesday-x3", Multiplier = 3, From = new(2025, 3, 1), To = new(2025, 3, 31), DaysOfWeek = [DayOfWeek.Wednesday] }));

        var receipt = member.Accrue("p-1", 10_000, Local(2025, 3, day, hour)).Receipt;

        Assert.Equal(expected, receipt.Points);
    }

    [Theory]
    [InlineData("S-002", 2_400, true)]
    [InlineData(Cmd.Store, 1_200, false)]
    public void Accrue_StoreCampaign_MultipliesOnlyInItsStores(string store, long expected, bool named)
    {
        var member = Member(program: WithCampaigns(new Campaign { Id = "opening-s2", Multiplier = 2, From = new(2025, 3, 1), To = new(2025, 3, 31), StoreIds = ["S-002"] }));

        var receipt = member.Account.Accrue(Purchase("p-1", 10_000, store: store), T0.AddMinutes(1)).Receipt;

        Assert.Equal(expected, receipt.Points);
        Assert.Equal(named ? ["opening-s2"] : [], receipt.Earning!.Campaigns);
    }

    [Fact]
    public void Accrue_CategoryCampaign_MultipliesOnlyItsCategoryAndIsNamed()
    {
        var member = Member(program: WithCampaigns(new Campaign { Id = "fresh-monday", Multiplier = 2, From = new(2025, 3, 1), To = new(2025, 3, 31), DaysOfWeek = [DayOfWeek.Monday], Categories = ["fresh"] }));

        // Monday: 100 food + 100 fresh = 200 CNY at 12/CNY, fresh doubled: (10,000 + 20,000) × 12 / 100 = 3,600, +50.
        var mixed = member.Account.Accrue(Basket("p-1", new PurchaseLine("F", "food", 1, 10_000), new PurchaseLine("V", "fresh", 1, 10_000)), T0.AddMinutes(1)).Receipt;
        var foodOnly = member.Account.Accrue(Purchase("p-2", 20_000), T0.AddMinutes(2)).Receipt;

        Assert.Equal(3_650, mixed.Points);
        Assert.Equal(["fresh-monday"], mixed.Earning!.Campaigns);
        Assert.Equal(2_450, foodOnly.Points);
        Assert.Empty(foodOnly.Earning!.Campaigns);
    }

    [Fact]
    public void Accrue_TwoCampaignsOnAnEcoLine_MultipliesEveryMultiplierAndNamesBoth()
    {
        var member = Member(program: WithCampaigns(
            new Campaign { Id = "double-week", Multiplier = 2, From = new(2025, 3, 10), To = new(2025, 3, 16) },
            new Campaign { Id = "green-days", Multiplier = 1.5m, From = new(2025, 3, 10), To = new(2025, 3, 16), Categories = ["eco"] }));

        // 100 eco: 12/CNY × 1.5 (category) × 2 × 1.5 (campaigns) = 5,400.
        var receipt = member.Account.Accrue(Purchase("p-1", 10_000, "eco"), T0.AddMinutes(1)).Receipt;

        Assert.Equal(5_400, receipt.Points);
        Assert.Equal(["double-week", "green-days"], receipt.Earning!.Campaigns);
    }

    [Fact]
    public void Accrue_WithSilverMultiplier_AppliesTheTierHeldWhenBuyingAndNeverToTheBonus()
    {
        var program = Default with
        {
            Tiers = Default.Tiers with { Levels = [.. Default.Tiers.Levels.Select(l => l.Tier == Tier.Silver ? l with { EarnMultiplier = 1.5m } : l)] },
        };
        var member = Member(program: program);

        // 1,000 CNY as Regular (×1) lifts the member to Silver; only the next purchases earn ×1.5.
        var upgrading = member.Accrue("p-1", 100_000, T0.AddMinutes(1)).Receipt;
        var asSilver = member.Accrue("p-2", 10_000, T0.AddMinutes(2)).Receipt;
        var withBonus = member.Accrue("p-3", 20_000, T0.AddMinutes(3)).Receipt;

        Assert.Equal((15_050L, 1m), (upgrading.Points, upgrading.Earning!.TierMultiplier));
        Assert.Equal(Tier.Silver, member.State.Tier);
        Assert.Equal((1_800L, 1.5m), (asSilver.Points, asSilver.Earning!.TierMultiplier));
        Assert.Equal(2_400 * 3 / 2 + 50, withBonus.Points);
    }

    [Theory]
    [InlineData(2025, 2, 23, 23, 59, 1)] // Sunday before: 28 Feb 2025 (a Friday) stands in for 29 Feb
    [InlineData(2025, 2, 24, 0, 0, 2)] // Monday of that week
    [InlineData(2025, 3, 1, 12, 0, 2)] // already March, same week
    [InlineData(2025, 3, 2, 23, 59, 2)] // Sunday, last minute
    [InlineData(2025, 3, 3, 0, 0, 1)]
    [InlineData(2028, 2, 27, 12, 0, 1)] // leap year: 29 Feb 2028 is a Tuesday, week from Monday 28 Feb
    [InlineData(2028, 2, 28, 0, 0, 2)]
    [InlineData(2028, 3, 5, 23, 59, 2)]
    public void Accrue_BirthdayOn29February_DoublesDuringTheWeekOfItsStandInDate(int year, int month, int day, int hour, int minute, int multiplier)
    {
        var now = Local(year, month, day, hour, minute);
        var member = Member(now.AddDays(-20), WeekBirthday(), new DateOnly(2000, 2, 29));

        var receipt = member.Accrue("p-1", 10_000, now).Receipt;

        Assert.Equal(1_200 * multiplier, receipt.Points);
        Assert.Equal(multiplier, receipt.Earning!.BirthdayMultiplier);
    }

    [Theory]
    [InlineData(2026, 12, 27, 23, 59, 1)]
    [InlineData(2026, 12, 28, 0, 0, 2)] // Monday of the week of Friday 1 Jan 2027
    [InlineData(2026, 12, 31, 23, 59, 2)]
    [InlineData(2027, 1, 3, 23, 59, 2)]
    [InlineData(2027, 1, 4, 0, 0, 1)]
    public void Accrue_BirthdayWeekSpanningNewYear_DoublesOnBothSidesOfIt(int year, int month, int day, int hour, int minute, int multiplier)
    {
        var now = Local(year, month, day, hour, minute);
        var member = Member(now.AddDays(-20), WeekBirthday(), new DateOnly(1990, 1, 1));

        var receipt = member.Accrue("p-1", 10_000, now).Receipt;

        Assert.Equal(1_200 * multiplier, receipt.Points);
    }

    [Fact]
    public void Accrue_InBirthdayWeek_DoesNotMultiplyTheThresholdBonus()
    {
        // 20 March 2025 is a Thursday: the week runs from Monday 17 March.
        var member = Member(T0, WeekBirthday(), new DateOnly(1990, 3, 20));

        var receipt = member.Accrue("p-1", 25_000, Local(2025, 3, 17, 9)).Receipt;

        Assert.Equal((6_000L, 50L), (receipt.Earning!.RatePoints, receipt.Earning.BonusPoints));
        Assert.Equal(6_050, receipt.Points);
    }

    private static LoyaltyProgram WithCampaigns(params Campaign[] campaigns) => WithEarning(e => e with { Campaigns = campaigns });

    private static LoyaltyProgram WeekBirthday() => WithEarning(e => e with { Birthday = new BirthdayRule(2, BirthdayPeriod.Week) });
}
