using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Points earned under a 7-day return window: in the balance at once, redeemable only when the window ends.</summary>
public sealed class PendingPointsTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>Enrolment (100, redeemable at once) and 100 CNY bought at T0 (1,200, pending for 7 days).</summary>
    private static TestMember MemberWithPendingPurchase()
    {
        var member = Member(program: WithEarning(e => e with { PendingDays = 7 }));
        member.Buy("p-1", 10_000, T0);
        return member;
    }

    [Fact]
    public void View_WithinTheReturnWindow_CountsPendingPointsInTheBalanceButNotAvailable()
    {
        var member = MemberWithPendingPurchase();

        var view = member.Account.View(T0.AddDays(6));

        Assert.Equal((1_300L, 1_200L, 100L), (view.Balance, view.Pending, view.Available));
        Assert.Contains(view.Lots, l => l.Remaining == 1_200 && l.AvailableAt == T0.AddDays(7));
    }

    [Fact]
    public void Reserve_PendingPointsBeforeTheWindowEnds_FailsMentioningPending()
    {
        var member = MemberWithPendingPurchase();

        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Reserve("r-1", 200, 100_000), T0.AddDays(7).AddTicks(-1)));

        Assert.Contains("pending", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reserve_OnlyTheRedeemablePoints_SucceedsWhilePending()
    {
        var member = MemberWithPendingPurchase();

        var receipt = member.Account.Reserve(Reserve("r-1", 100, 100_000), T0.AddDays(1)).Receipt;

        Assert.Equal((1_300L, 0L), (receipt.Balance, receipt.Available));
    }

    [Fact]
    public void Reserve_WhenTheWindowEnds_Succeeds()
    {
        var member = MemberWithPendingPurchase();

        var receipt = member.Account.Reserve(Reserve("r-1", 1_300, 300_000), T0.AddDays(7)).Receipt;

        Assert.Equal(RedemptionDecision.Approve, receipt.Decision);
        Assert.Equal(0, receipt.Available);
        Assert.Equal(0, member.Account.View(T0.AddDays(7)).Pending);
    }

    [Fact]
    public void Capture_AllRedeemablePoints_LeavesEveryPendingPointPending()
    {
        var member = MemberWithPendingPurchase();
        member.Account.RecordActivity(Activity("a-1", "referral", "friend-1"), T0.AddDays(1)); // 100, redeemable at once
        var now = T0.AddDays(2);
        var hold = member.Account.Reserve(Reserve("r-1", 200, 100_000), now).Receipt.HoldId!;

        member.Account.Capture(Cmd.Capture("c-1", hold), now);

        var view = member.Account.View(now);
        Assert.Equal((1_200L, 1_200L, 0L), (view.Balance, view.Pending, view.Available));
        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Reserve("r-2", 100, 100_000), now));
    }

    [Fact]
    public void Capture_AfterARefundTookTheHeldPoints_IsRefusedRatherThanSpendingPendingPoints()
    {
        var member = Member(T0.AddDays(-10), program: WithEarning(e => e with { PendingDays = 7 }));
        member.Buy("p-0", 10_000, T0.AddDays(-10)); // 1,200, redeemable since T0 − 3 days
        member.Buy("p-1", 10_000, T0); // 1,200, pending until T0 + 7 days
        var hold = member.Account.Reserve(Reserve("r-1", 1_300, 300_000), T0.AddDays(1)).Receipt.HoldId!;
        member.Refund("f-1", "p-0", T0.AddDays(1)); // takes p-0's 1,200 back: 100 redeemable left

        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Capture(Cmd.Capture("c-1", hold), T0.AddDays(1)));

        Assert.Equal(1_200, member.Account.View(T0.AddDays(1)).Pending);
    }
}
