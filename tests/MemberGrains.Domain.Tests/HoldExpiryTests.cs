namespace MemberGrains.Domain.Tests;

public class HoldExpiryTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    private static TestMember MemberWith200Points()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        member.Drain();
        return member;
    }

    [Fact]
    public void Reserve_DefaultTtl_StopsHoldingAfterTenMinutesWithoutAnyCall()
    {
        var member = MemberWith200Points();
        var reservedAt = T0.AddMinutes(1);
        member.Reserve("r-1", 150, reservedAt);
        var expiresAt = reservedAt.AddMinutes(10);

        Assert.Equal(150, member.Account.HeldAt(expiresAt.AddTicks(-1)));
        Assert.Equal(50, member.Account.AvailableAt(expiresAt.AddTicks(-1)));
        Assert.Single(member.Account.View(expiresAt.AddTicks(-1)).Holds);

        Assert.Equal(0, member.Account.HeldAt(expiresAt));
        Assert.Equal(200, member.Account.AvailableAt(expiresAt));
        var view = member.Account.View(expiresAt);
        Assert.Empty(view.Holds);
        Assert.Equal(0, view.Held);
        Assert.Equal(200, view.Available);
    }

    [Fact]
    public void Reserve_AfterEarlierHoldExpired_CanUseThosePointsAgain()
    {
        var member = MemberWith200Points();
        member.Reserve("r-1", 150, T0.AddMinutes(1));
        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-2", 200), T0.AddMinutes(11).AddTicks(-1)));

        var outcome = member.Reserve("r-2", 200, T0.AddMinutes(11));

        Assert.Equal(0, outcome.Receipt.Available);
        Assert.Empty(member.Drain());
    }

    [Fact]
    public void Reserve_HoldForOverride_ExpiresAtRequestedTime()
    {
        var member = MemberWith200Points();
        var reservedAt = T0.AddMinutes(1);

        var outcome = member.Reserve("r-1", 100, reservedAt, TimeSpan.FromSeconds(90));

        Assert.Equal(reservedAt.AddSeconds(90), outcome.Receipt.HoldExpiresAt);
        Assert.Equal(100, member.Account.HeldAt(reservedAt.AddSeconds(89)));
        Assert.Equal(0, member.Account.HeldAt(reservedAt.AddSeconds(90)));
    }

    [Fact]
    public void Capture_JustBeforeExpiry_Succeeds()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 100, T0, TimeSpan.FromSeconds(1)).Receipt.HoldId!;

        Assert.Equal(100, member.Capture("c-1", hold, T0.AddSeconds(1).AddTicks(-1)).Receipt.Points);
    }

    [Fact]
    public void Capture_AtExpiryInstant_FailsOnHoldId()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 100, T0, TimeSpan.FromSeconds(1)).Receipt.HoldId!;

        member.AssertRejected(ErrorKind.FailedPrecondition, "hold_id", a => a.Capture(Cmd.Capture("c-1", hold), T0.AddSeconds(1)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(600)]
    [InlineData(3_600)]
    public void Reserve_HoldForWithinBounds_Accepted(int seconds)
    {
        var member = MemberWith200Points();

        var outcome = member.Reserve("r-1", 10, T0, TimeSpan.FromSeconds(seconds));

        Assert.Equal(T0.AddSeconds(seconds), outcome.Receipt.HoldExpiresAt);
    }

    public static TheoryData<TimeSpan> OutOfBoundsHolds => new()
    {
        TimeSpan.Zero,
        TimeSpan.FromSeconds(-1),
        TimeSpan.FromMilliseconds(500),
        TimeSpan.FromSeconds(1) - TimeSpan.FromTicks(1),
        TimeSpan.FromHours(1) + TimeSpan.FromTicks(1),
        TimeSpan.FromSeconds(3_601),
        TimeSpan.FromDays(1),
    };

    [Theory]
    [MemberData(nameof(OutOfBoundsHolds))]
    public void Reserve_HoldForOutOfBounds_IsInvalidOnHoldSeconds(TimeSpan holdFor)
    {
        var member = MemberWith200Points();

        member.AssertRejected(ErrorKind.InvalidArgument, "hold_seconds", a => a.Reserve(Cmd.Reserve("r-1", 10, holdFor), T0));
    }

    [Fact]
    public void Mutation_AfterHoldExpired_ClosesHoldSoReleaseGivesNothing()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 150, T0).Receipt.HoldId!;
        member.Accrue("p-2", 100, T0.AddMinutes(20));

        Assert.Equal(HoldStatus.Expired, member.State.Holds[hold].Status);
        Assert.Equal(T0.AddMinutes(10), member.State.Holds[hold].ClosedAt);
        Assert.Equal(0, member.Release("x-1", hold, T0.AddMinutes(21)).Receipt.Points);
        Assert.Equal(201, member.Account.AvailableAt(T0.AddMinutes(21)));
    }
}
