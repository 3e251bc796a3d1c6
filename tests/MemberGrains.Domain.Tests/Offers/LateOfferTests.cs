using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>Purchases a till sends late (occurred_at): offers, limits and category stats count at the purchase's own time.</summary>
public sealed class LateOfferTests
{
    [Fact]
    public void Accrue_MondayPurchaseSentOnTuesday_GetsMondaysThemeDay()
    {
        var member = Member(consent: false);
        var monday = Local(2026, 3, 9, 21);

        var receipt = member.Buy(Purchase("p-1", Line("fresh food", 5_000)) with { OccurredAt = monday }, Local(2026, 3, 10, 9));

        Assert.Equal(["monday-fresh-food"], receipt.AppliedIds());
        Assert.Equal(500, receipt.DiscountFen);
    }

    [Fact]
    public void Accrue_TuesdayPurchaseOfFreshFood_GetsNoMondayDiscount()
    {
        var member = Member(consent: false);

        var receipt = member.Buy(Purchase("p-1", Line("fresh food", 5_000)), Local(2026, 3, 10, 9));

        Assert.Equal(["member-day-double-points"], receipt.AppliedIds()); // Tuesday the 10th
        Assert.Equal(0, receipt.DiscountFen);
    }

    [Fact]
    public void Accrue_LatePurchase_CountsAgainstTheLimitOfItsOwnDay()
    {
        var daily = Bonus("daily", 10) with { Limits = new OfferLimits { PerMember = 1, Period = LimitPeriod.Day } };
        var member = Member(With(daily));
        member.Buy(Purchase("today", Line("grocery", 1_000)), Local(2026, 3, 7, 9));

        var late = member.Buy(Purchase("yesterday", Line("grocery", 1_000)) with { OccurredAt = Local(2026, 3, 6, 22) }, Local(2026, 3, 7, 9, 30));
        var againLate = member.Buy(Purchase("yesterday-2", Line("grocery", 1_000)) with { OccurredAt = Local(2026, 3, 6, 23) }, Local(2026, 3, 7, 9, 40));

        Assert.Equal(["daily"], late.AppliedIds());
        Assert.Null(againLate.Offers);
        Assert.Equal(new OfferUse("daily", "yesterday", 0, null, 0, 10, false, Local(2026, 3, 6, 22)), member.OfferUses[1]);
    }

    [Fact]
    public void Accrue_LatePurchase_EnrolmentDaysCountAtItsTime()
    {
        var member = Member(consent: true);

        // Day 7 after enrolment, sent on day 8: still the first order.
        var receipt = member.Buy(Purchase("p-1", Line("grocery", 23_000)) with { OccurredAt = Local(2026, 3, 11, 22) }, Local(2026, 3, 12, 8));

        Assert.Equal(["new-member-first-order"], receipt.AppliedIds());
    }

    [Fact]
    public void Accrue_LatePurchase_GoesIntoTheCategoryStatsAtItsOwnTime()
    {
        var member = Member(consent: true);
        member.Buy("p-2", "household", 3_000, Local(2026, 3, 8, 12));

        member.Buy(Purchase("p-1", Line("household", 2_000)) with { OccurredAt = Local(2026, 3, 6, 12) }, Local(2026, 3, 8, 13));

        var stats = member.State.Categories["household"];
        Assert.Equal((2, 5_000L, Local(2026, 3, 8, 12)), (stats.Purchases, stats.SpendFen, stats.LastPurchasedAt));
        Assert.Equal([Local(2026, 3, 6, 12), Local(2026, 3, 8, 12)], stats.Times);
    }
}
