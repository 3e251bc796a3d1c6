using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Behaviour points of the default program: check-in once per store-local day, review three times a day, every referral.</summary>
public sealed class ActivityRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Fact]
    public void RecordActivity_CheckIn_EarnsFivePointsAsAnActivityRow()
    {
        var member = Member();

        var receipt = member.Account.RecordActivity(Activity("a-1", "check_in"), T0).Receipt;

        Assert.Equal((OperationKind.Activity, 5L, 105L), (receipt.Operation, receipt.Points, receipt.Balance));
        var row = Assert.Single(member.Drain());
        Assert.Equal((LedgerKind.Activity, 5L, "a-1"), (row.Kind, row.Points, row.RequestId));
    }

    [Fact]
    public void RecordActivity_SecondCheckInOnTheSameLocalDayAcrossUtcMidnight_IsRefusedOnKind()
    {
        var member = Member();

        // 07:00 and 09:00 in Shanghai on 10 March are 9 and 10 March in UTC: one store day.
        member.Account.RecordActivity(Activity("a-1", "check_in"), Local(2025, 3, 10, 7));

        member.AssertRejected(ErrorKind.FailedPrecondition, "kind", a => a.RecordActivity(Activity("a-2", "check_in"), Local(2025, 3, 10, 9)));
        member.AssertRejected(ErrorKind.FailedPrecondition, "kind", a => a.RecordActivity(Activity("a-3", "check_in"), Local(2025, 3, 10, 23, 59, 59)));
    }

    [Fact]
    public void RecordActivity_CheckInAtTheNextLocalMidnight_Earns()
    {
        var member = Member();
        member.Account.RecordActivity(Activity("a-1", "check_in"), Local(2025, 3, 10, 23, 59, 59));

        var receipt = member.Account.RecordActivity(Activity("a-2", "check_in"), Local(2025, 3, 11)).Receipt;

        Assert.Equal(5, receipt.Points);
        Assert.Equal(110, receipt.Balance);
    }

    [Fact]
    public void RecordActivity_ThreeReviewsADay_RefusesTheFourth()
    {
        var member = Member();
        for (var i = 1; i <= 3; i++)
        {
            member.Account.RecordActivity(Activity($"a-{i}", "review", $"sku-{i}"), T0.AddMinutes(i));
        }

        member.AssertRejected(ErrorKind.FailedPrecondition, "kind", a => a.RecordActivity(Activity("a-4", "review", "sku-4"), T0.AddHours(1)));
        Assert.Equal(160, member.State.Balance);
    }

    [Fact]
    public void RecordActivity_SecondReferralWhenOncePerMember_IsRefusedEvenOnAnotherDay()
    {
        // The default program rewards every referral (its third issues a coupon); once per member is a program choice.
        var program = Default with { Activities = [.. Default.Activities.Select(a => a.Kind == "referral" ? a with { MaxPerMember = 1 } : a)] };
        var member = Member(program: program);
        var first = member.Account.RecordActivity(Activity("a-1", "referral", "friend-1"), T0).Receipt;

        member.AssertRejected(ErrorKind.FailedPrecondition, "kind", a => a.RecordActivity(Activity("a-2", "referral", "friend-2"), T0.AddDays(30)));

        Assert.Equal(100, first.Points);
    }

    [Theory]
    [InlineData("dance")]
    [InlineData("CHECK_IN")]
    [InlineData("")]
    public void RecordActivity_UnknownKind_IsInvalidArgumentOnKind(string kind)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "kind", a => a.RecordActivity(Activity("a-1", kind), T0));
    }

    [Fact]
    public void RecordActivity_RetriedWithTheSameRequestId_ReplaysTheFirstAnswer()
    {
        var member = Member();
        var first = member.Account.RecordActivity(Activity("a-1", "check_in"), T0);
        member.Drain();

        var retry = member.Account.RecordActivity(Activity("a-1", "check_in"), T0.AddMinutes(5));

        Assert.True(retry.Replayed);
        Assert.Equal(first.Receipt, retry.Receipt);
        Assert.Empty(member.Drain());
        Assert.Equal(105, member.State.Balance);
    }

    [Fact]
    public void RecordActivity_SameRequestIdForAnotherKind_IsAlreadyExists()
    {
        var member = Member();
        member.Account.RecordActivity(Activity("a-1", "check_in"), T0);

        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => a.RecordActivity(Activity("a-1", "survey"), T0.AddMinutes(5)));
    }
}
