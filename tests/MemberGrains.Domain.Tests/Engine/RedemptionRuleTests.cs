using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>The basket share and the risk rules that send a redemption for review or decline it.</summary>
public sealed class RedemptionRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>Enrolment (100) and 100 CNY bought at T0 (1,200): 1,300 points.</summary>
    private static TestMember MemberWith1300Points()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);
        return member;
    }

    [Fact]
    public void Reserve_BeyondTheBasketShare_IsInvalidArgumentOnPoints()
    {
        var member = MemberWith1300Points();

        // Points may pay half of a 20 CNY basket: 10 CNY, 1,000 points.
        var error = member.AssertRejected(ErrorKind.InvalidArgument, "points", a => a.Reserve(Reserve("r-1", 1_100, 2_000), T0.AddMinutes(1)));

        Assert.Contains("at most 1000 points", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserve_ExactlyTheBasketShare_IsHeld()
    {
        var member = MemberWith1300Points();

        var receipt = member.Account.Reserve(Reserve("r-1", 1_000, 2_000), T0.AddMinutes(1)).Receipt;

        Assert.Equal((1_000L, 1_000L, RedemptionDecision.Approve), (receipt.Points, receipt.ValueFen, receipt.Decision));
    }

    [Fact]
    public void Reserve_WithoutBasketWhenTheShareIsBelow100Percent_IsInvalidArgumentOnBasketFen()
    {
        var member = MemberWith1300Points();

        member.AssertRejected(ErrorKind.InvalidArgument, "basket_fen", a => a.Reserve(Cmd.Reserve("r-1", 100), T0.AddMinutes(1)));
    }

    [Fact]
    public void Reserve_TieredValue_HoldsThePointsAtTheirBandsValue()
    {
        var member = Member(program: Default with { Redemption = Default.Redemption with { TieredValue = [new(100, 100), new(501, 90), new(2_001, 80)] } });
        member.Buy("p-1", 10_000, T0);

        var receipt = member.Account.Reserve(Reserve("r-1", 600, 10_000), T0.AddMinutes(1)).Receipt;
        var captured = member.Account.Capture(Cmd.Capture("c-1", receipt.HoldId!), T0.AddMinutes(2)).Receipt;

        Assert.Equal(666, receipt.ValueFen);
        Assert.Equal(666, captured.ValueFen);
    }

    [Fact]
    public void Reserve_NewMemberRedeeming2000Within24Hours_IsSentForReview()
    {
        var member = Member();
        member.Buy("p-1", 20_000, T0); // 2,450 + 100

        var receipt = member.ReserveAmply("r-1", 2_000, T0.AddHours(23));

        Assert.Equal(RedemptionDecision.Review, receipt.Decision);
        Assert.Equal([RiskCodes.NewMemberRedemption], receipt.Reasons);
        Assert.True(Assert.Single(member.Account.View(T0.AddHours(23)).Holds).NeedsReview);
    }

    [Theory]
    [InlineData(1_900, 23)] // below the size
    [InlineData(2_000, 24)] // 24 hours after enrolment the member is no longer new
    public void Reserve_NewMemberBelowTheSizeOrAfter24Hours_IsApproved(long points, int hours)
    {
        var member = Member();
        member.Buy("p-1", 20_000, T0);

        var receipt = member.ReserveAmply("r-1", points, T0.AddHours(hours));

        Assert.Equal(RedemptionDecision.Approve, receipt.Decision);
        Assert.Null(receipt.Reasons);
    }

    [Fact]
    public void Capture_ReviewedHoldWithoutApproval_IsRefusedOnApprovedByAndChangesNothing()
    {
        var member = Member();
        member.Buy("p-1", 20_000, T0);
        var hold = member.ReserveAmply("r-1", 2_000, T0.AddHours(1)).HoldId!;

        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "approved_by", a => a.Capture(Cmd.Capture("c-1", hold), T0.AddHours(1).AddMinutes(1)));

        Assert.Equal([RiskCodes.NewMemberRedemption], error.Reasons);
    }

    [Fact]
    public void Capture_ReviewedHoldWithApproval_RedeemsAndRecordsTheApprover()
    {
        var member = Member();
        member.Buy("p-1", 20_000, T0);
        var hold = member.ReserveAmply("r-1", 2_000, T0.AddHours(1)).HoldId!;

        var receipt = member.Account.Capture(Cmd.Capture("c-1", hold) with { ApprovedBy = "staff-7" }, T0.AddHours(1).AddMinutes(1)).Receipt;

        Assert.Equal((2_000L, 550L), (receipt.Points, receipt.Balance));
        Assert.Equal("staff-7", member.State.Holds[hold].ApprovedBy);
        Assert.Equal(LedgerKind.Redeem, Assert.Single(member.Drain()).Kind);
    }

    [Fact]
    public void Reserve_DormantFor180DaysRedeeming5000_IsSentForReview()
    {
        var member = Member();
        member.Buy("p-1", 400_000, T0);

        var receipt = member.ReserveAmply("r-1", 5_000, T0.AddDays(180));

        Assert.Equal(RedemptionDecision.Review, receipt.Decision);
        Assert.Equal([RiskCodes.DormantRedemption], receipt.Reasons);
    }

    [Theory]
    [InlineData(5_000, 179)]
    [InlineData(4_900, 180)]
    public void Reserve_SilentFewerDaysOrSmallerRedemption_IsApproved(long points, int days)
    {
        var member = Member();
        member.Buy("p-1", 400_000, T0);

        var receipt = member.ReserveAmply("r-1", points, T0.AddDays(days));

        Assert.Equal(RedemptionDecision.Approve, receipt.Decision);
    }

    [Fact]
    public void Reserve_180DaysAfterPurchaseButSoonAfterARedemption_IsApproved()
    {
        var member = Member();
        member.Buy("p-1", 400_000, T0);
        var hold = member.ReserveAmply("r-1", 100, T0.AddDays(100)).HoldId!;
        member.Account.Capture(Cmd.Capture("c-1", hold), T0.AddDays(100));

        var receipt = member.ReserveAmply("r-2", 5_000, T0.AddDays(180));

        Assert.Equal(RedemptionDecision.Approve, receipt.Decision);
    }

    [Fact]
    public void Reserve_MoreThanHalfOfThreePurchasesRefunded_IsDeclinedAndChangesNothing()
    {
        var member = Member();
        for (var i = 1; i <= 3; i++)
        {
            member.Buy($"p-{i}", 10_000, T0.AddDays(i));
        }

        member.Refund("f-1", "p-1", T0.AddDays(4));
        member.Refund("f-2", "p-2", T0.AddDays(4));

        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Reserve("r-1", 100, 10_000), T0.AddDays(5)));

        Assert.Equal([RiskCodes.RefundAbuse], error.Reasons);
        var flag = Assert.Single(member.Account.View(T0.AddDays(5)).Flags);
        Assert.Equal((RiskCodes.RefundAbuse, RedemptionDecision.Decline), (flag.Code, flag.OnRedemption));
    }

    [Theory]
    [InlineData(4, 2)] // exactly half refunded is not more than half
    [InlineData(2, 2)] // everything refunded, but fewer than 3 purchases
    public void Reserve_HalfRefundedOrTooFewPurchases_IsApproved(int purchases, int refunded)
    {
        var member = Member();
        for (var i = 1; i <= purchases; i++)
        {
            member.Buy($"p-{i}", 10_000, T0.AddDays(i));
        }

        for (var i = 1; i <= refunded; i++)
        {
            member.Refund($"f-{i}", $"p-{i}", T0.AddDays(5));
        }

        var receipt = member.Account.Reserve(Reserve("r-1", 100, 10_000), T0.AddDays(6)).Receipt;

        Assert.Equal(RedemptionDecision.Approve, receipt.Decision);
        Assert.Empty(member.Account.View(T0.AddDays(6)).Flags);
    }

    [Fact]
    public void Reserve_RefundAbuserAlsoNew_IsDeclinedForTheStricterReasonOnly()
    {
        var member = Member();
        for (var i = 1; i <= 3; i++)
        {
            member.Buy($"p-{i}", 20_000, T0.AddMinutes(i)); // 3 × 2,450
        }

        member.Refund("f-1", "p-1", T0.AddMinutes(10));
        member.Refund("f-2", "p-2", T0.AddMinutes(11));

        // 2,550 left: 2,000 would be a new member's large redemption (review) but refund abuse declines.
        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Reserve("r-1", 2_000, 10_000), T0.AddMinutes(12)));

        Assert.Equal([RiskCodes.RefundAbuse], error.Reasons);
    }

    [Fact]
    public void Accrue_SixPurchasesWithinTenMinutes_RaisesVelocityAndSendsRedemptionsForReview()
    {
        var member = Member();
        for (var i = 0; i < 6; i++)
        {
            member.Buy($"p-{i}", 1_000, T0.AddMinutes(i));
        }

        var receipt = member.ReserveAmply("r-1", 100, T0.AddMinutes(6));

        Assert.Equal(RedemptionDecision.Review, receipt.Decision);
        Assert.Equal([RiskCodes.Velocity], receipt.Reasons);
        Assert.Equal(RiskCodes.Velocity, Assert.Single(member.EventsOf(EventKinds.RiskFlagRaised))["code"]);
    }

    [Theory]
    [InlineData(5, 1)] // five purchases is the limit
    [InlineData(6, 2)] // six spread over exactly ten minutes: the first is out of the window when the sixth comes
    public void Accrue_NotMoreThanFivePurchasesInTheWindow_RaisesNoVelocityFlag(int purchases, int minutesApart)
    {
        var member = Member();
        for (var i = 0; i < purchases; i++)
        {
            member.Buy($"p-{i}", 1_000, T0.AddMinutes(i * minutesApart));
        }

        Assert.Empty(member.EventsOf(EventKinds.RiskFlagRaised));
        Assert.Equal(RedemptionDecision.Approve, member.ReserveAmply("r-1", 100, T0.AddMinutes(10)).Decision);
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(4, true)] // 80 %
    [InlineData(3, false)] // 60 %
    public void View_PromotionOnlyBuyer_IsFlaggedButRedemptionsAreApproved(int promotedPurchases, bool flagged)
    {
        var member = Member();
        for (var i = 0; i < 5; i++)
        {
            member.Account.Accrue(Purchase($"p-{i}", 10_000, promoted: i < promotedPurchases), T0.AddDays(i));
        }

        var now = T0.AddDays(5);
        var flags = member.Account.View(now).Flags;
        var receipt = member.ReserveAmply("r-1", 100, now);

        Assert.Equal(flagged, flags.Any(f => f.Code == RiskCodes.PromotionOnly && f.OnRedemption == RedemptionDecision.Approve));
        Assert.Equal(RedemptionDecision.Approve, receipt.Decision);
        Assert.Null(receipt.Reasons);
    }

    [Fact]
    public void Reserve_DailyCapFlagUnderADeclineProgram_IsDeclinedUntilTheFlagLapses()
    {
        var member = Member(program: WithRisk(r => r with { DailyCap = r.DailyCap with { OnRedemption = RiskAction.Decline } }));
        member.Buy("p-1", 500_000, T0);

        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Reserve("r-1", 100, 10_000), T0.AddHours(1)));

        Assert.Equal([RiskCodes.DailyCapReached], error.Reasons);
        Assert.Equal(RedemptionDecision.Approve, member.ReserveAmply("r-2", 100, T0.AddHours(24)).Decision);
    }
}
