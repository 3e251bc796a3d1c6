using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.TestMember;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>The worked examples of the program engine issue, on the default program, for a Regular member.</summary>
public sealed class WorkedExampleTests
{
    private static TestMember Regular(DateOnly? birthday = null) => Enroll(T0, programs: TestPrograms.DefaultCatalog(), birthday: birthday);

    [Theory]
    [InlineData(8_000, 800)]
    [InlineData(25_000, 3_050)]
    [InlineData(60_000, 9_050)]
    public void Accrue_DefaultProgram_EarnsBracketRatePlusThresholdBonus(long totalFen, long expected)
    {
        var member = Regular();

        var receipt = member.Accrue("p-1", totalFen, T0.AddMinutes(1)).Receipt;

        Assert.Equal(expected, receipt.Points);
        Assert.Equal(100 + expected, receipt.Balance);
    }

    [Fact]
    public void Accrue_250YuanInBirthdayMonth_DoublesRatePointsNotTheBonus()
    {
        var member = Regular(birthday: new DateOnly(1990, 3, 25));

        var receipt = member.Accrue("p-1", 25_000, T0.AddMinutes(1)).Receipt;

        Assert.Equal(6_050, receipt.Points);
        Assert.Equal(new EarnBreakdown(25_000, 12, 1, 2, [], 6_000, 50, false), receipt.Earning! with { Campaigns = [] });
    }

    [Fact]
    public void Accrue_SecondPurchaseSameDay_EarnsOnlyUpToTheDailyCapAndRaisesTheFlag()
    {
        var member = Regular();

        var first = member.Accrue("p-1", 400_000, T0.AddHours(1)).Receipt;
        var second = member.Accrue("p-2", 200_000, T0.AddHours(2)).Receipt;

        Assert.Equal(60_050, first.Points);
        Assert.False(first.Earning!.CapReached);
        Assert.Equal(15_050, second.Points);
        Assert.Equal(100_000, second.Earning!.EligibleFen);
        Assert.True(second.Earning.CapReached);
        member.Drain();
        var flag = Assert.Single(member.Account.View(T0.AddHours(2)).Flags);
        Assert.Equal(RiskCodes.DailyCapReached, flag.Code);
        Assert.Equal(RedemptionDecision.Review, flag.OnRedemption);
        Assert.Contains(member.Events, e => e.Kind == EventKinds.RiskFlagRaised && e.Data["code"] == RiskCodes.DailyCapReached);
    }

    [Fact]
    public void Refund_100Of250Yuan_TakesBackTheDifferenceOfWhatEachAmountEarns()
    {
        var member = Regular();
        member.Accrue("p-1", 25_000, T0.AddMinutes(1));

        var receipt = member.Refund("f-1", "p-1", T0.AddDays(1), 10_000).Receipt;

        Assert.Equal(1_250, receipt.Points); // 3,050 − 150 × 12
        Assert.Equal(100 + 1_800, receipt.Balance);
        member.Drain();
        Assert.Equal(receipt.Balance, member.LedgerSum());
    }

    [Theory]
    [InlineData(150, "multiple of 100")]
    [InlineData(50, "at least 100")]
    public void Reserve_InvalidAmount_IsInvalidArgumentOnPoints(long points, string message)
    {
        var member = Regular();
        member.Accrue("p-1", 100_000, T0.AddMinutes(1));

        var error = member.AssertRejected(ErrorKind.InvalidArgument, "points", a => a.Reserve(Cmd.Reserve("r-1", points) with { BasketFen = 100_000 }, T0.AddMinutes(2)));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accrue_QualifyingSpend999Then1MoreYuan_UpgradesToSilverAtOnce()
    {
        var member = Regular();

        member.Accrue("p-1", 99_900, T0.AddMinutes(1));
        Assert.Equal(Tier.Regular, member.State.Tier);
        member.Accrue("p-2", 100, T0.AddMinutes(2));

        Assert.Equal(Tier.Silver, member.State.Tier);
        member.Drain();
        var changed = Assert.Single(member.Events, e => e.Kind == EventKinds.TierChanged);
        Assert.Equal(("Regular", "Silver", "upgrade"), (changed.Data["from"], changed.Data["to"], changed.Data["reason"]));
        var view = member.Account.View(T0.AddMinutes(2)).Tier;
        Assert.Equal((Tier.Silver, Tier.Gold, 1_000_000 - 100_000L), (view.Tier, view.NextTier!.Value, view.SpendToNextTierFen));
    }

    [Fact]
    public void Accrue_On20250310_PointsExpireAtTheStartOf2027InTheStoreZone()
    {
        var member = Regular();

        member.Accrue("p-1", 8_000, new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.FromHours(8)));

        var endOf2026 = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.All(member.State.Lots, l => Assert.Equal(endOf2026, l.ExpiresAt));
        Assert.Equal(900, member.Account.BalanceAt(endOf2026.AddTicks(-1)));
        Assert.Equal(0, member.Account.BalanceAt(endOf2026));
    }
}
