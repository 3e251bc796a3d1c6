using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>Who gets an offer, when and for which baskets: one test per targeting, schedule, window and basket rule.</summary>
public sealed class OfferTargetingTests
{
    /// <summary>Friday 6 March 2026, 10:00: the day after the members enrol.</summary>
    private static readonly DateTimeOffset Friday = Local(2026, 3, 6);

    private static Offer Probe(Func<Offer, Offer>? change = null) => (change ?? (o => o))(Bonus("probe", 10));

    private static string Check(TestMember member, DateTimeOffset at, params PurchaseLine[] lines)
    {
        var quote = member.Account.Quote(Basket(lines.Length == 0 ? [Line("grocery", 5_000)] : lines), at);
        return quote.Offers!.Any(o => o.OfferId == "probe") ? "APPLIED" : quote.Decision("probe").Code;
    }

    private static string Check(Offer offer, DateTimeOffset at, bool consent = true, DateOnly? birthday = null, params PurchaseLine[] lines) =>
        Check(Member(With(offer), consent: consent, birthday: birthday), at, lines);

    [Theory]
    [InlineData(Tier.Regular, "APPLIED")]
    [InlineData(Tier.Silver, OfferCodes.NotTargeted)]
    public void Quote_TierTargeting_OnlyTheListedTiers(Tier listed, string expected)
    {
        Assert.Equal(expected, Check(Probe(o => o with { Target = new OfferTarget { Tiers = [listed] } }), Friday));
    }

    [Fact]
    public void Quote_TierTargeting_FollowsAnUpgrade()
    {
        var member = Member(With(Probe(o => o with { Target = new OfferTarget { Tiers = [Tier.Silver] } })));
        Assert.Equal(OfferCodes.NotTargeted, Check(member, Friday));

        member.Buy("p-1", "grocery", 100_000, Friday);

        Assert.Equal("APPLIED", Check(member, Friday.AddHours(1)));
    }

    [Theory]
    [InlineData("S-001", "APPLIED")]
    [InlineData("S-999", OfferCodes.NotTargeted)]
    public void Quote_StoreTargeting_OnlyInTheListedStores(string store, string expected)
    {
        Assert.Equal(expected, Check(Probe(o => o with { Target = new OfferTarget { StoreIds = [store, "S-777"] } }), Friday));
    }

    [Theory]
    [InlineData(0, 1, "APPLIED")] // enrolled yesterday: 1 day ago
    [InlineData(2, null, OfferCodes.NotTargeted)]
    [InlineData(null, 0, OfferCodes.NotTargeted)]
    public void Quote_DaysSinceEnrolment_WithinTheMinimumAndMaximum(int? min, int? max, string expected)
    {
        var offer = Probe(o => o with { Target = new OfferTarget { MinDaysSinceEnrollment = min, MaxDaysSinceEnrollment = max } });

        Assert.Equal(expected, Check(offer, Friday));
    }

    [Fact]
    public void Quote_SegmentTargeting_ReadsTheMembersSegment()
    {
        var offer = Probe(o => o with { Personalised = true, Target = new OfferTarget { Segments = ["new"] } });
        var member = Member(With(offer));
        Assert.Equal(OfferCodes.NotTargeted, Check(member, Friday)); // no purchase: no segment

        member.Buy("p-1", "grocery", 5_000, Friday);

        Assert.Equal("APPLIED", Check(member, Friday.AddHours(1)));
    }

    [Fact]
    public void Quote_LifecycleTargeting_ProspectUntilTheFirstPurchaseThenAtRiskWhenSilent()
    {
        var prospects = Probe(o => o with { Personalised = true, Target = new OfferTarget { Lifecycle = [LifecycleStage.Prospect] } });
        var atRisk = Bonus("at-risk", 5) with { Personalised = true, Target = new OfferTarget { Lifecycle = [LifecycleStage.AtRisk] } };
        var member = Member(With(prospects, atRisk));
        Assert.Equal("APPLIED", Check(member, Friday));

        member.Buy("p-1", "grocery", 5_000, Friday);

        Assert.Equal(OfferCodes.NotTargeted, Check(member, Friday.AddHours(1)));
        var later = member.Account.Quote(Basket(Line("grocery", 5_000)), Friday.AddDays(31));
        Assert.Contains(later.Offers!, o => o.OfferId == "at-risk");
    }

    [Fact]
    public void Quote_RiskFlagTargeting_OnlyFlaggedMembersAndNeverExcludedOnes()
    {
        var flagged = Probe(o => o with { Personalised = true, Target = new OfferTarget { RiskFlags = [RiskCodes.DailyCapReached] } });
        var clean = Bonus("clean", 5) with { Personalised = true, Target = new OfferTarget { ExcludeRiskFlags = [RiskCodes.DailyCapReached] } };
        var member = Member(With(flagged, clean));
        var before = member.Account.Quote(Basket(Line("grocery", 5_000)), Friday);
        Assert.Equal(OfferCodes.NotTargeted, before.Decision("probe").Code);
        Assert.Contains(before.Offers!, o => o.OfferId == "clean");

        member.Buy("p-1", "grocery", 500_000, Friday); // reaches the daily cap: flagged for 24 hours

        var after = member.Account.Quote(Basket(Line("grocery", 5_000)), Friday.AddHours(1));
        Assert.Contains(after.Offers!, o => o.OfferId == "probe");
        Assert.Equal(OfferCodes.NotTargeted, after.Decision("clean").Code);
        Assert.Equal("Not for members flagged: daily_cap_reached.", after.Decision("clean").Detail);
    }

    [Theory]
    [InlineData(BirthdayWindow.Day, 3, 6, "APPLIED")]
    [InlineData(BirthdayWindow.Day, 3, 7, OfferCodes.NotTargeted)]
    [InlineData(BirthdayWindow.Week, 3, 2, "APPLIED")] // the week of Friday 6 March runs Monday 2 to Sunday 8
    [InlineData(BirthdayWindow.Week, 3, 9, OfferCodes.NotTargeted)]
    [InlineData(BirthdayWindow.Month, 3, 31, "APPLIED")]
    [InlineData(BirthdayWindow.Month, 4, 1, OfferCodes.NotTargeted)]
    public void Quote_BirthdayTargeting_DayWeekOrMonth(BirthdayWindow window, int month, int day, string expected)
    {
        var offer = Probe(o => o with { Personalised = true, Target = new OfferTarget { Birthday = window } });

        Assert.Equal(expected, Check(offer, Local(2026, month, day), birthday: new DateOnly(1990, 3, 6)));
    }

    [Fact]
    public void Quote_BirthdayTargeting_MemberWithoutBirthdayIsNotTargeted()
    {
        var offer = Probe(o => o with { Personalised = true, Target = new OfferTarget { Birthday = BirthdayWindow.Month } });

        Assert.Equal(OfferCodes.NotTargeted, Check(offer, Friday));
    }

    [Fact]
    public void Quote_AffinityTargeting_NeedsTheCategoryRulesPurchasesWithinItsDays()
    {
        // The default program: baby formula affinity is 2 purchases within 90 days.
        var offer = Probe(o => o with { Personalised = true, Target = new OfferTarget { AffinityCategories = ["baby formula"] } });
        var member = Member(With(offer));
        member.Buy("p-1", "baby formula", 3_000, Local(2026, 3, 6));
        Assert.Equal(OfferCodes.NotTargeted, Check(member, Local(2026, 3, 7)));

        member.Buy("p-2", "baby formula", 3_000, Local(2026, 3, 20));

        Assert.Equal("APPLIED", Check(member, Local(2026, 6, 3))); // 6 March is day 90 counting back from 3 June
        Assert.Equal(OfferCodes.NotTargeted, Check(member, Local(2026, 6, 4)));
    }

    [Theory]
    [InlineData(2026, 3, 9, "APPLIED")] // Monday
    [InlineData(2026, 3, 10, OfferCodes.OutsideTimeWindow)]
    public void Quote_DayOfWeek_OnlyOnTheListedWeekdays(int year, int month, int day, string expected)
    {
        var offer = Probe(o => o with { Schedule = new OfferSchedule { DaysOfWeek = [DayOfWeek.Monday] } });

        Assert.Equal(expected, Check(offer, Local(year, month, day)));
    }

    [Theory]
    [InlineData(10, "APPLIED")]
    [InlineData(11, OfferCodes.OutsideTimeWindow)]
    public void Quote_DayOfMonth_OnlyOnTheListedDays(int day, string expected)
    {
        var offer = Probe(o => o with { Schedule = new OfferSchedule { DaysOfMonth = [10] } });

        Assert.Equal(expected, Check(offer, Local(2026, 3, day)));
    }

    [Theory]
    [InlineData(17, 59, OfferCodes.OutsideTimeWindow)]
    [InlineData(18, 0, "APPLIED")]
    [InlineData(20, 59, "APPLIED")]
    [InlineData(21, 0, OfferCodes.OutsideTimeWindow)]
    public void Quote_TimeOfDay_StoreLocalFromIncludedToExcluded(int hour, int minute, string expected)
    {
        var offer = Probe(o => o with { Schedule = new OfferSchedule { TimeFrom = "18:00", TimeTo = "21:00" } });

        Assert.Equal(expected, Check(offer, Local(2026, 3, 6, hour, minute)));
    }

    [Fact]
    public void Quote_TimeOfDay_DetailSaysWhenItRuns()
    {
        var offer = Probe(o => o with { Schedule = new OfferSchedule { DaysOfWeek = [DayOfWeek.Monday], TimeFrom = "07:00", TimeTo = "10:00" } });
        var member = Member(With(offer));

        var decision = member.Account.Quote(Basket(Line("grocery", 5_000)), Local(2026, 3, 9, 10, 30)).Decision("probe");

        Assert.Equal("The offer runs on monday, from 07:00 to 10:00; it is monday 2026-03-09 10:30.", decision.Detail);
    }

    [Theory]
    [InlineData(2026, 3, 31, OfferCodes.NotStarted)]
    [InlineData(2026, 4, 1, "APPLIED")]
    [InlineData(2026, 4, 30, "APPLIED")]
    [InlineData(2026, 5, 1, OfferCodes.Expired)]
    public void Quote_ValidityWindow_FromAndToBothIncluded(int year, int month, int day, string expected)
    {
        var offer = Probe(o => o with { From = new DateOnly(2026, 4, 1), To = new DateOnly(2026, 4, 30) });

        Assert.Equal(expected, Check(offer, Local(year, month, day, 23, 59)));
    }

    [Theory]
    [InlineData(2026, 3, 11, "APPLIED")] // day 7
    [InlineData(2026, 3, 12, OfferCodes.Expired)] // day 8
    public void Quote_ValidDaysAfterEnrolment_TheEnrolmentDayIsDayOne(int year, int month, int day, string expected)
    {
        Assert.Equal(expected, Check(Probe(o => o with { ValidDaysAfterEnrollment = 7 }), Local(year, month, day, 23, 0)));
    }

    [Theory]
    [InlineData(9_999, OfferCodes.BasketCondition)]
    [InlineData(10_000, "APPLIED")]
    public void Quote_BasketMinimumSpend_OnTheLinesAtTheirPrices(long basketFen, string expected)
    {
        var offer = Probe(o => o with { Basket = new BasketCondition { MinSpendFen = 10_000 } });

        Assert.Equal(expected, Check(offer, Friday, lines: Line("grocery", basketFen)));
    }

    [Fact]
    public void Quote_BasketCategoryPresent_NeedsALineOfIt()
    {
        var offer = Probe(o => o with { Basket = new BasketCondition { Categories = ["household"] } });

        Assert.Equal(OfferCodes.BasketCondition, Check(offer, Friday, lines: Line("grocery", 5_000)));
        Assert.Equal("APPLIED", Check(offer, Friday, lines: [Line("grocery", 5_000), Line("household", 100)]));
    }

    [Fact]
    public void Quote_BasketSkuMinimumQuantity_CountsUnitsAcrossLines()
    {
        var offer = Probe(o => o with { Basket = new BasketCondition { Skus = ["CAN-900G"], MinQuantity = 6 } });

        var five = Member(With(offer)).Account.Quote(Basket(Line("baby formula", 9_000, quantity: 3, sku: "CAN-900G"), Line("baby formula", 6_000, quantity: 2, sku: "CAN-900G")), Friday);
        Assert.Equal("The basket needs 6 unit(s) of SKU CAN-900G; it holds 5.", five.Decision("probe").Detail);
        Assert.Equal("APPLIED", Check(offer, Friday, lines: [Line("baby formula", 9_000, quantity: 3, sku: "CAN-900G"), Line("baby formula", 9_000, quantity: 3, sku: "CAN-900G")]));
    }

    [Fact]
    public void Quote_ChecksInTheDocumentedOrder_FirstFailingRuleIsReported()
    {
        // Not started, outside its weekdays, for another tier, and a basket too small: the dates come first.
        var offer = Probe(o => o with
        {
            From = new DateOnly(2026, 4, 1),
            Schedule = new OfferSchedule { DaysOfWeek = [DayOfWeek.Sunday] },
            Target = new OfferTarget { Tiers = [Tier.Gold] },
            Basket = new BasketCondition { MinSpendFen = 1_000_000 },
        });

        Assert.Equal(OfferCodes.NotStarted, Check(offer, Friday));
        Assert.Equal(OfferCodes.OutsideTimeWindow, Check(offer with { From = null }, Friday));
        Assert.Equal(OfferCodes.NotTargeted, Check(offer with { From = null, Schedule = null }, Friday));
        Assert.Equal(OfferCodes.BasketCondition, Check(offer with { From = null, Schedule = null, Target = null }, Friday));
    }
}
