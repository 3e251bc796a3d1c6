using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>RFM scores at the default breakpoints, first-match segments and lifecycle stages.</summary>
public sealed class InsightTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Fact]
    public void View_BeforeAnyPurchase_IsAProspectWithoutSegmentOrScores()
    {
        var member = Member();

        var view = member.Account.View(T0.AddDays(40));

        Assert.Equal(LifecycleStage.Prospect, view.Lifecycle);
        Assert.Equal(string.Empty, view.Segment);
        Assert.Equal(new RfmView(null, 0, 0, 0, 0, 0), view.Rfm);
    }

    [Fact]
    public void View_WeeklyBuyerThenSilent_MovesThroughEveryLifecycleStage()
    {
        var member = Member();
        var stages = new List<LifecycleStage>();
        for (var week = 0; week < 12; week++)
        {
            member.Buy($"p-{week}", 100_000, T0.AddDays(7 * week));
            stages.Add(member.Account.View(T0.AddDays(7 * week)).Lifecycle);
        }

        var last = T0.AddDays(77);
        foreach (var days in new[] { 29, 30, 179, 180 })
        {
            stages.Add(member.Account.View(last.AddDays(days)).Lifecycle);
        }

        // New after the first purchase; active from the second; loyal once 12 purchases and 10,000 CNY score 4.
        Assert.Equal(
            [
                LifecycleStage.New,
                .. Enumerable.Repeat(LifecycleStage.Active, 10),
                LifecycleStage.Loyal,
                LifecycleStage.Loyal, // 29 silent days
                LifecycleStage.AtRisk, // 30
                LifecycleStage.AtRisk, // 179
                LifecycleStage.Churned, // 180
            ],
            stages);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(7, 5)]
    [InlineData(8, 4)]
    [InlineData(30, 4)]
    [InlineData(31, 3)]
    [InlineData(90, 3)]
    [InlineData(91, 2)]
    [InlineData(180, 2)]
    [InlineData(181, 1)]
    public void View_DaysSinceTheLastPurchase_ScoreRecencyAtTheBreakpoints(int days, int score)
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);

        var rfm = member.Account.View(T0.AddDays(days)).Rfm;

        Assert.Equal((days, score), (rfm.RecencyDays, rfm.RecencyScore));
    }

    [Fact]
    public void View_OneMinuteAfterALocal2359Purchase_CountsOneDayOfRecency()
    {
        var member = Member();
        member.Buy("p-1", 10_000, Local(2025, 3, 10, 23, 59));

        Assert.Equal(1, member.Account.View(Local(2025, 3, 11)).Rfm.RecencyDays);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(11, 3)]
    [InlineData(12, 4)]
    public void View_PurchasesInTheWindow_ScoreFrequencyAtTheBreakpoints(int purchases, int score)
    {
        var member = Member();
        for (var i = 0; i < purchases; i++)
        {
            member.Buy($"p-{i}", 1_000, T0.AddDays(i));
        }

        var rfm = member.Account.View(T0.AddDays(purchases)).Rfm;

        Assert.Equal((purchases, score), (rfm.Frequency, rfm.FrequencyScore));
    }

    [Theory]
    [InlineData(49_999, 1)]
    [InlineData(50_000, 2)]
    [InlineData(199_999, 2)]
    [InlineData(200_000, 3)]
    [InlineData(999_999, 3)]
    [InlineData(1_000_000, 4)]
    [InlineData(4_999_999, 4)]
    [InlineData(5_000_000, 5)]
    public void View_SpendInTheWindow_ScoresMonetaryAtTheBreakpoints(long spentFen, int score)
    {
        var member = Member();
        member.Buy("p-1", spentFen, T0);

        var rfm = member.Account.View(T0.AddDays(1)).Rfm;

        Assert.Equal((spentFen, score), (rfm.MonetaryFen, rfm.MonetaryScore));
    }

    [Fact]
    public void View_MemberMatchingNewAndPotential_IsInTheFirstListedSegment()
    {
        var member = Member();
        member.Buy("p-1", 25_000, T0);
        member.Buy("p-2", 25_000, T0.AddDays(7)); // R5 F2 M2: new (first purchase 7 days ago) and potential

        Assert.Equal("new", member.Account.View(T0.AddDays(7)).Segment);
    }

    [Fact]
    public void View_SegmentsListedTheOtherWayRound_PicksTheOtherSegment()
    {
        var segments = Default.Segments;
        var member = Member(program: Default with { Segments = [segments.Single(s => s.Name == "potential"), .. segments.Where(s => s.Name != "potential")] });
        member.Buy("p-1", 25_000, T0);
        member.Buy("p-2", 25_000, T0.AddDays(7));

        Assert.Equal("potential", member.Account.View(T0.AddDays(7)).Segment);
    }

    [Fact]
    public void View_NewBuyerWithHighValueScores_IsNewOnlyWhenTheNewRuleAllowsTheFrequency()
    {
        var segments = Default.Segments;
        var anyFrequency = Default with { Segments = [segments[0] with { MaxFrequency = null }, .. segments.Skip(1)] };
        var defaultMember = Member();
        var lenientMember = Member(program: anyFrequency);
        for (var day = 0; day < 12; day++)
        {
            defaultMember.Buy($"p-{day}", 100_000, T0.AddDays(day)); // R5 F4 M4 within 12 days of the first purchase
            lenientMember.Buy($"p-{day}", 100_000, T0.AddDays(day));
        }

        // Both rules match under the lenient program, and "new" is listed first.
        Assert.Equal("new", lenientMember.Account.View(T0.AddDays(12)).Segment);
        Assert.Equal("high-value", defaultMember.Account.View(T0.AddDays(12)).Segment);
    }

    [Theory]
    [InlineData(30, "new")] // first purchase at most 30 days ago
    [InlineData(31, "potential")]
    public void View_NewSegment_EndsThirtyDaysAfterTheFirstPurchase(int days, string segment)
    {
        var member = Member();
        member.Buy("p-1", 25_000, T0);
        member.Buy("p-2", 25_000, T0.AddDays(days));

        Assert.Equal(segment, member.Account.View(T0.AddDays(days)).Segment);
    }

    [Fact]
    public void View_RecentFrequentHighSpender_IsHighValue()
    {
        var member = Member();
        for (var week = 0; week < 12; week++)
        {
            member.Buy($"p-{week}", 100_000, T0.AddDays(7 * week)); // 12 purchases, 12,000 CNY: F4 M4
        }

        Assert.Equal("high-value", member.Account.View(T0.AddDays(77 + 30)).Segment); // R4
        Assert.Equal("dormant", member.Account.View(T0.AddDays(77 + 91)).Segment); // R2
    }

    [Theory]
    [InlineData(90, "other")] // R3 F1 M1: no rule matches
    [InlineData(91, "dormant")] // R2
    [InlineData(400, "dormant")] // R1
    public void View_SingleOldPurchase_IsDormantOnlyOnceRecencyScoresTwoOrLess(int days, string segment)
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);

        Assert.Equal(segment, member.Account.View(T0.AddDays(days)).Segment);
    }

    [Fact]
    public void View_NoSegmentMatches_UsesTheProgramsDefaultSegment()
    {
        var member = Member(program: Default with { DefaultSegment = "unassigned" });
        member.Buy("p-1", 10_000, T0);

        Assert.Equal("unassigned", member.Account.View(T0.AddDays(60)).Segment);
    }
}
