namespace MemberGrains.Domain.Tests;

public class RedemptionTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>100 enrolment points plus 100 points from a 100 CNY purchase: balance 200.</summary>
    private static TestMember MemberWith200Points()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        member.Drain();
        return member;
    }

    [Fact]
    public void Reserve_Points_SetsThemAsideWithoutLedgerRow()
    {
        var member = MemberWith200Points();
        var now = T0.AddMinutes(1);

        var outcome = member.Reserve("r-1", 60, now);

        Assert.False(outcome.Replayed);
        Assert.Equal(60, outcome.Receipt.Points);
        Assert.Equal(200, outcome.Receipt.Balance);
        Assert.Equal(140, outcome.Receipt.Available);
        Assert.NotNull(outcome.Receipt.HoldId);
        Assert.Equal(now.AddMinutes(10), outcome.Receipt.HoldExpiresAt);
        Assert.Empty(member.Drain());
        Assert.Equal(200, member.Account.BalanceAt(now));
        Assert.Equal(60, member.Account.HeldAt(now));
        Assert.Equal(140, member.Account.AvailableAt(now));
        var hold = Assert.Single(member.Account.View(now).Holds);
        Assert.Equal(new HoldView(outcome.Receipt.HoldId!, 60, now.AddMinutes(10), Cmd.Store, Cmd.Terminal, false), hold);
    }

    [Fact]
    public void Reserve_MoreThanAvailable_FailsOnPoints()
    {
        var member = MemberWith200Points();
        var now = T0.AddMinutes(1);
        member.Reserve("r-1", 150, now);

        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-2", 51), now));

        var outcome = member.Reserve("r-3", 50, now);
        Assert.Equal(0, outcome.Receipt.Available);
        Assert.Equal(200, member.Account.HeldAt(now));
        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-4", 1), now));
    }

    [Fact]
    public void Reserve_MoreThanBalance_FailsOnPoints()
    {
        var member = MemberWith200Points();

        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-1", 201), T0.AddMinutes(1)));
    }

    [Fact]
    public void Capture_WholeHold_RedeemsAllHeldPoints()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        var now = T0.AddMinutes(2);

        var outcome = member.Capture("c-1", hold, now);

        Assert.Equal(80, outcome.Receipt.Points);
        Assert.Equal(120, outcome.Receipt.Balance);
        Assert.Equal(120, outcome.Receipt.Available);
        Assert.Equal(hold, outcome.Receipt.HoldId);
        var row = Assert.Single(member.Drain());
        Assert.Equal(new LedgerEntry(3, "c-1", LedgerKind.Redeem, -80, 120, TestPrograms.Version, Cmd.Store, Cmd.Terminal, now), row);
        Assert.Equal(0, member.Account.HeldAt(now));
        Assert.Empty(member.Account.View(now).Holds);
    }

    [Fact]
    public void Capture_FewerPointsThanHeld_RedeemsThoseAndReleasesTheRest()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        var now = T0.AddMinutes(2);

        var outcome = member.Capture("c-1", hold, now, points: 30);

        Assert.Equal(30, outcome.Receipt.Points);
        Assert.Equal(170, outcome.Receipt.Balance);
        Assert.Equal(170, outcome.Receipt.Available);
        Assert.Equal(-30, Assert.Single(member.Drain()).Points);
        Assert.Equal(0, member.Account.HeldAt(now));
        Assert.Equal(170, member.Account.AvailableAt(now));
        Assert.Equal(170, member.Reserve("r-2", 170, now).Receipt.Points);
    }

    [Fact]
    public void Capture_MorePointsThanHeld_IsInvalid()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;

        member.AssertRejected(ErrorKind.InvalidArgument, "points", a => a.Capture(Cmd.Capture("c-1", hold, 81), T0.AddMinutes(2)));
    }

    [Fact]
    public void Release_OpenHold_GivesPointsBackWithoutLedgerRow()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        var now = T0.AddMinutes(2);

        var outcome = member.Release("x-1", hold, now);

        Assert.Equal(80, outcome.Receipt.Points);
        Assert.Equal(200, outcome.Receipt.Balance);
        Assert.Equal(200, outcome.Receipt.Available);
        Assert.Empty(member.Drain());
        Assert.Equal(200, member.Account.AvailableAt(now));
        Assert.Empty(member.Account.View(now).Holds);
    }

    [Fact]
    public void Capture_ReleasedHold_FailsOnHoldId()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Release("x-1", hold, T0.AddMinutes(2));

        member.AssertRejected(ErrorKind.FailedPrecondition, "hold_id", a => a.Capture(Cmd.Capture("c-1", hold), T0.AddMinutes(3)));
    }

    [Fact]
    public void Capture_CapturedHold_FailsOnHoldId()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2));

        member.AssertRejected(ErrorKind.FailedPrecondition, "hold_id", a => a.Capture(Cmd.Capture("c-2", hold), T0.AddMinutes(3)));
        Assert.Equal(120, member.State.Balance);
    }

    [Fact]
    public void Capture_ExpiredHold_FailsOnHoldId()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;

        member.AssertRejected(ErrorKind.FailedPrecondition, "hold_id", a => a.Capture(Cmd.Capture("c-1", hold), T0.AddMinutes(11)));
    }

    [Fact]
    public void Capture_UnknownHold_IsNotFound()
    {
        var member = MemberWith200Points();

        member.AssertRejected(ErrorKind.NotFound, "hold_id", a => a.Capture(Cmd.Capture("c-1", "H999"), T0.AddMinutes(1)));
    }

    [Fact]
    public void Release_UnknownHold_IsNotFound()
    {
        var member = MemberWith200Points();

        member.AssertRejected(ErrorKind.NotFound, "hold_id", a => a.Release(Cmd.Release("x-1", "H999"), T0.AddMinutes(1)));
    }

    [Fact]
    public void Release_CapturedHold_FailsOnHoldId()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2));

        member.AssertRejected(ErrorKind.FailedPrecondition, "hold_id", a => a.Release(Cmd.Release("x-1", hold), T0.AddMinutes(3)));
    }

    [Fact]
    public void Release_ReleasedHold_SucceedsWithZeroPoints()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Release("x-1", hold, T0.AddMinutes(2));

        var outcome = member.Release("x-2", hold, T0.AddMinutes(3));

        Assert.False(outcome.Replayed);
        Assert.Equal(0, outcome.Receipt.Points);
        Assert.Equal(200, outcome.Receipt.Available);
        Assert.Empty(member.Drain());
    }

    [Fact]
    public void Release_ExpiredHold_SucceedsWithZeroPoints()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 80, T0.AddMinutes(1)).Receipt.HoldId!;

        var outcome = member.Release("x-1", hold, T0.AddMinutes(11));

        Assert.Equal(0, outcome.Receipt.Points);
        Assert.Equal(200, outcome.Receipt.Balance);
        Assert.Equal(200, outcome.Receipt.Available);
        Assert.Empty(member.Drain());
    }

    [Fact]
    public void Capture_HoldLargerThanBalanceAfterRefund_FailsOnPoints()
    {
        var member = MemberWith200Points();
        var hold = member.Reserve("r-1", 200, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Refund("f-1", "p-1", T0.AddMinutes(2));
        Assert.Equal(100, member.State.Balance);

        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Capture(Cmd.Capture("c-1", hold), T0.AddMinutes(3)));
        Assert.Equal(100, member.Capture("c-2", hold, T0.AddMinutes(3), points: 100).Receipt.Points);
        Assert.Equal(0, member.State.Balance);
    }

    [Fact]
    public void Capture_SeveralLots_SpendsEarliestExpiryFirst()
    {
        // Enrolment lot earned in 2024 expires at the start of 2026 (Shanghai); the purchase lot of 2025 a year later.
        var enrolledAt = new DateTimeOffset(2024, 6, 1, 4, 0, 0, TimeSpan.Zero);
        var member = TestMember.Enroll(enrolledAt);
        member.Accrue("p-1", 50_000, T0);
        var hold = member.Reserve("r-1", 60, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2));

        var lots = member.Account.View(T0.AddMinutes(2)).Lots;
        Assert.Equal([40L, 500], lots.Select(l => l.Remaining));

        var endOf2025 = new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero);
        Assert.Equal(540, member.Account.BalanceAt(endOf2025.AddTicks(-1)));
        Assert.Equal(500, member.Account.BalanceAt(endOf2025));
    }

    [Fact]
    public void Capture_MoreThanOldestLot_EmptiesItAndTakesRestFromNext()
    {
        var enrolledAt = new DateTimeOffset(2024, 6, 1, 4, 0, 0, TimeSpan.Zero);
        var member = TestMember.Enroll(enrolledAt);
        member.Accrue("p-1", 50_000, T0);
        var hold = member.Reserve("r-1", 130, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2));

        var lot = Assert.Single(member.Account.View(T0.AddMinutes(2)).Lots);
        Assert.Equal(470, lot.Remaining);
        Assert.Equal(T0, lot.EarnedAt);
    }

    [Fact]
    public void Capture_HoldIdOfAnotherMember_NotFound()
    {
        var other = TestMember.Enroll(T0);
        var (account, _) = MemberAccount.Enroll(Cmd.Enroll(memberId: "m-2"), TestPrograms.FlatCatalog(), AccountLimits.Default, T0);
        var foreignHold = account.Reserve(Cmd.Reserve("r-9", 10), T0.AddMinutes(1)).Receipt.HoldId!;
        other.Reserve("r-1", 10, T0.AddMinutes(1));

        Assert.StartsWith("H1-", foreignHold, StringComparison.Ordinal);
        other.AssertRejected(ErrorKind.NotFound, "hold_id", a => a.Capture(Cmd.Capture("c-1", foreignHold), T0.AddMinutes(2)));
    }
}
