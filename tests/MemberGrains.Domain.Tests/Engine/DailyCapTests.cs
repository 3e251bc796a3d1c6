using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>The 5,000 CNY daily earning cap, counted per store-local day (Asia/Shanghai).</summary>
public sealed class DailyCapTests
{
    [Fact]
    public void Accrue_CapReachedAt2359ThenNextLocalDayAtMidnight_EarnsTheSecondInFull()
    {
        var member = Member();

        // 23:59 and 00:00 in Shanghai are the same UTC day (15:59 and 16:00 UTC): only the local day counts.
        var evening = member.Accrue("p-1", 500_000, Local(2025, 3, 10, 23, 59)).Receipt;
        var midnight = member.Accrue("p-2", 100_000, Local(2025, 3, 11)).Receipt;

        Assert.Equal(75_050, evening.Points);
        Assert.True(evening.Earning!.CapReached);
        Assert.Equal(15_050, midnight.Points);
        Assert.Equal(100_000, midnight.Earning!.EligibleFen);
        Assert.False(midnight.Earning.CapReached);
    }

    [Fact]
    public void Accrue_AtMidnightAndAt2359OfOneLocalDay_SharesOneCap()
    {
        var member = Member();

        // 00:00 and 23:59 in Shanghai fall on two UTC days but one store day.
        member.Accrue("p-1", 400_000, Local(2025, 3, 11));
        var late = member.Accrue("p-2", 200_000, Local(2025, 3, 11, 23, 59)).Receipt;

        Assert.Equal(100_000, late.Earning!.EligibleFen);
        Assert.Equal(15_050, late.Points);
        Assert.True(late.Earning.CapReached);
    }

    [Fact]
    public void Accrue_ExactlyReachingTheCap_RaisesTheFlag()
    {
        var member = Member();
        var now = Local(2025, 3, 10, 12);

        var first = member.Accrue("p-1", 300_000, now).Receipt;
        var second = member.Accrue("p-2", 200_000, now.AddMinutes(30)).Receipt;

        Assert.False(first.Earning!.CapReached);
        Assert.Equal(200_000, second.Earning!.EligibleFen);
        Assert.True(second.Earning.CapReached);
        var raised = Assert.Single(member.EventsOf(EventKinds.RiskFlagRaised));
        Assert.Equal(RiskCodes.DailyCapReached, raised["code"]);
        Assert.Contains(member.Account.View(now.AddMinutes(31)).Flags, f => f.Code == RiskCodes.DailyCapReached);
    }

    [Fact]
    public void Accrue_OneFenBelowTheCap_RaisesNoFlag()
    {
        var member = Member();

        var receipt = member.Accrue("p-1", 499_999, Local(2025, 3, 10, 12)).Receipt;

        Assert.False(receipt.Earning!.CapReached);
        Assert.Empty(member.EventsOf(EventKinds.RiskFlagRaised));
        Assert.Empty(member.Account.View(Local(2025, 3, 10, 12)).Flags);
    }

    [Fact]
    public void Accrue_AfterTheCapIsUsedUp_EarnsNothingButCountsThePurchase()
    {
        var member = Member();
        var now = Local(2025, 3, 10, 12);
        member.Buy("p-1", 500_000, now);
        var before = member.Account.View(now);

        var receipt = member.Accrue("p-2", 10_000, now.AddHours(1)).Receipt;

        Assert.Equal(0, receipt.Points);
        Assert.Equal(0, receipt.Earning!.EligibleFen);
        Assert.Empty(member.Drain());
        var after = member.Account.View(now.AddHours(1));
        Assert.Equal(before.Balance, after.Balance);
        Assert.Equal(before.PurchaseCount + 1, after.PurchaseCount);
        Assert.Equal(before.LifetimeSpendFen + 10_000, after.LifetimeSpendFen);
        Assert.Equal(before.Rfm.Frequency + 1, after.Rfm.Frequency);
        Assert.Equal(before.Rfm.MonetaryFen + 10_000, after.Rfm.MonetaryFen);
        Assert.Equal(before.Tier.QualifyingSpendFen + 10_000, after.Tier.QualifyingSpendFen);
        Assert.Equal(now.AddHours(1), after.LastPurchaseAt);
    }
}
