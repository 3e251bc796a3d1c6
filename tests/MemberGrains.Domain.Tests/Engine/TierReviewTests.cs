using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Monthly tier reviews (Gold upkeep, six inactive months) and the rolling qualifying window.</summary>
public sealed class TierReviewTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>A member lifted to Gold by 10,000 CNY on 10 March 2025.</summary>
    private static TestMember GoldMember()
    {
        var member = Member();
        member.Buy("p-1", 1_000_000, T0);
        Assert.Equal(Tier.Gold, member.State.Tier);
        return member;
    }

    [Theory]
    [InlineData(19_999, 0)]
    [InlineData(25_000, 5_001)] // 250 bought, 50.01 refunded: 199.99 net
    public void Touch_GoldMemberWithLessThan200NetInAMonth_DropsToSilverFromTheNextMonthsStart(long spentFen, long refundedFen)
    {
        var member = GoldMember();
        member.Buy("p-2", spentFen, Local(2025, 4, 5));
        if (refundedFen > 0)
        {
            member.Refund("f-1", "p-2", Local(2025, 4, 6), refundedFen);
        }

        var events = member.TouchAndDrain(Local(2025, 5, 2));

        var change = Assert.Single(events, e => e.Kind == EventKinds.TierChanged);
        Assert.Equal(("Gold", "Silver", "maintenance", Iso(Local(2025, 5, 1))), (change.Data["from"], change.Data["to"], change.Data["reason"], change.Data["effective_at"]));
        Assert.Equal(Tier.Silver, member.State.Tier);
    }

    [Fact]
    public void Touch_GoldMemberWithExactly200InAMonth_KeepsGold()
    {
        var member = GoldMember();
        member.Buy("p-2", 20_000, Local(2025, 4, 30, 23, 59));

        var events = member.TouchAndDrain(Local(2025, 5, 2));

        Assert.DoesNotContain(events, e => e.Kind == EventKinds.TierChanged);
        Assert.Equal(Tier.Gold, member.State.Tier);
    }

    [Fact]
    public void Touch_GoldMemberInTheMonthBelowUpkeep_ChangesNothingYet()
    {
        var member = GoldMember();

        var events = member.TouchAndDrain(Local(2025, 4, 30, 23, 59));

        Assert.Empty(events);
        Assert.Equal(Tier.Gold, member.State.Tier);
    }

    [Fact]
    public void View_WhenAReviewIsDue_ShowsTheReviewedTierWithoutChangingState()
    {
        var member = GoldMember();
        var before = member.Snapshot();

        var view = member.Account.View(Local(2025, 5, 2));

        Assert.Equal((Tier.Silver, 10m), (view.Tier.Tier, view.Tier.DiscountPercent));
        Assert.Equal(before, member.Snapshot());
        Assert.Empty(member.Account.DrainEvents());
        Assert.Equal(Tier.Gold, member.State.Tier);
    }

    [Fact]
    public void Touch_SilverMemberAfterSixMonthsWithoutPurchase_DropsToRegularAsInactive()
    {
        var member = Member();
        member.Buy("p-1", 100_000, T0); // Silver in March; nothing April to September

        Assert.Empty(member.TouchAndDrain(Local(2025, 9, 30, 23, 59)));
        var change = Assert.Single(member.TouchAndDrain(Local(2025, 10, 1)));

        Assert.Equal((EventKinds.TierChanged, "Silver", "Regular", "inactive", Iso(Local(2025, 10, 1))), (change.Kind, change.Data["from"], change.Data["to"], change.Data["reason"], change.Data["effective_at"]));
        Assert.Equal(Tier.Regular, member.State.Tier);
    }

    [Fact]
    public void Touch_GoldMemberUntouchedForSevenMonths_ReplaysEachMonthsReview()
    {
        var member = GoldMember();

        var changes = member.TouchAndDrain(Local(2025, 10, 15)).Where(e => e.Kind == EventKinds.TierChanged).Select(e => (e.Data["to"], e.Data["reason"], e.Data["effective_at"]));

        Assert.Equal([("Silver", "maintenance", Iso(Local(2025, 5, 1))), ("Regular", "inactive", Iso(Local(2025, 10, 1)))], changes);
    }

    [Theory]
    [InlineData(2026, 2, Tier.Silver, 110_000)] // March 2025 is within the last twelve months
    [InlineData(2026, 3, Tier.Regular, 20_000)] // twelve calendar months on it has left the window
    [InlineData(2026, 4, Tier.Regular, 20_000)] // thirteen
    public void Accrue_YearLater_CountsOnlyTheLastTwelveCalendarMonthsOfSpend(int year, int month, Tier expected, long qualifyingFen)
    {
        var member = Member();
        member.Buy("p-1", 90_000, T0);
        var now = Local(year, month, 10);

        member.Buy("p-2", 20_000, now);

        Assert.Equal(expected, member.State.Tier);
        Assert.Equal(qualifyingFen, member.Account.View(now).Tier.QualifyingSpendFen);
    }

    [Fact]
    public void NextDueAt_GoldMember_IsTheNextMonthsStart()
    {
        var member = GoldMember();

        Assert.Equal(Local(2025, 4, 1), member.Account.NextDueAt(T0));
    }

    [Fact]
    public void Accrue_MemberDroppedFromGoldBuysAgain_StaysSilverUntilAPurchaseCrossesANewMinimum()
    {
        var member = GoldMember();
        member.TouchAndDrain(Local(2025, 5, 2)); // nothing bought in April: Gold → Silver
        Assert.Equal(Tier.Silver, member.State.Tier);

        member.Buy("p-2", 100, Local(2025, 5, 3));
        Assert.Equal(Tier.Silver, member.State.Tier); // still 10,001 CNY qualifying, but nothing crossed

        member.Buy("p-3", 4_000_000, Local(2025, 5, 4)); // 50,001 CNY: crosses Platinum's minimum
        Assert.Equal(Tier.Platinum, member.State.Tier);
    }

    [Fact]
    public void Touch_GoldReachedInAMonthWithLessThan200Spent_KeepsGoldThroughThatGraceMonth()
    {
        var member = Member();
        member.Buy("p-1", 990_000, Local(2025, 2, 10)); // Silver
        member.Buy("p-2", 10_000, Local(2025, 3, 31, 22)); // 100 CNY in March lifts to Gold

        Assert.Equal(Tier.Gold, member.State.Tier);
        var events = member.TouchAndDrain(Local(2025, 4, 2));

        Assert.DoesNotContain(events, e => e.Kind == EventKinds.TierChanged);
        Assert.Equal(Tier.Gold, member.State.Tier);
        Assert.Equal(Tier.Silver, member.Account.View(Local(2025, 5, 2)).Tier.Tier); // April's upkeep applies
    }

    [Fact]
    public void Accrue_AfterAProgramLowersSilversMinimum_UpgradesAMemberAlreadyAboveItWithTheNextPurchase()
    {
        var catalog = Catalog();
        var member = Member(catalog);
        member.Buy("p-1", 80_000, T0); // 800 CNY: Regular
        catalog.Publish(Default with
        {
            Tiers = Default.Tiers with
            {
                Levels = [Default.Tiers.Levels[0] with { MaxSpendFen = 49_999 }, Default.Tiers.Levels[1] with { MinSpendFen = 50_000 }, .. Default.Tiers.Levels.Skip(2)],
            },
        });

        member.Buy("p-2", 100, T0.AddDays(1));

        Assert.Equal(Tier.Silver, member.State.Tier);
    }
}
