namespace MemberGrains.Domain.Tests;

public class LotExpiryTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0; // 2025-03-10 10:00 +08:00

    /// <summary>2027-01-01 00:00 in Shanghai.</summary>
    private static readonly DateTimeOffset EndOf2026 = new(2026, 12, 31, 16, 0, 0, TimeSpan.Zero);

    private static TestMember MemberWith600PointsEarnedIn2025()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 50_000, T0);
        member.Drain();
        return member;
    }

    [Theory]
    [InlineData("2025-03-10T02:00:00+00:00", "2026-12-31T16:00:00+00:00")]
    [InlineData("2025-01-01T00:00:00+08:00", "2026-12-31T16:00:00+00:00")]
    [InlineData("2025-12-31T15:59:59+00:00", "2026-12-31T16:00:00+00:00")]
    [InlineData("2025-12-31T16:00:00+00:00", "2027-12-31T16:00:00+00:00")]
    [InlineData("2024-12-31T20:00:00+00:00", "2026-12-31T16:00:00+00:00")]
    public void LotExpiry_EarnedInShanghaiYearY_ExpiresAtStartOfYearYPlus2(string earnedAt, string expected)
    {
        var expiry = TestPrograms.FlatRules.LotExpiry(DateTimeOffset.Parse(earnedAt, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), expiry);
    }

    [Fact]
    public void Accrue_JustBeforeAndAfterLocalMidnight_LotsExpireAYearApart()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 1_000, new DateTimeOffset(2025, 12, 31, 15, 59, 59, TimeSpan.Zero)); // 23:59:59 local, 2025
        member.Accrue("p-2", 2_000, new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero));   // 00:00 local, 2026

        var lots = member.Account.View(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).Lots;

        Assert.Equal([100L, 10, 20], lots.Select(l => l.Remaining));
        Assert.Equal([EndOf2026, EndOf2026, EndOf2026.AddYears(1)], lots.Select(l => l.ExpiresAt));
    }

    [Fact]
    public void BalanceAt_LastSecondOf2026InShanghai_StillCountsPointsEarnedIn2025()
    {
        var member = MemberWith600PointsEarnedIn2025();
        var lastSecond = new DateTimeOffset(2026, 12, 31, 15, 59, 59, TimeSpan.Zero);

        Assert.Equal(600, member.Account.BalanceAt(lastSecond));
        Assert.Equal(600, member.Account.AvailableAt(lastSecond));
        Assert.Equal(600, member.Account.View(lastSecond).Balance);
        Assert.Equal(2, member.Account.View(lastSecond).Lots.Count);
    }

    [Fact]
    public void View_AtStartOf2027InShanghai_ExcludesExpiredPointsBeforeAnyMutation()
    {
        var member = MemberWith600PointsEarnedIn2025();

        var view = member.Account.View(EndOf2026);

        Assert.Equal(0, view.Balance);
        Assert.Equal(0, view.Available);
        Assert.Empty(view.Lots);
        Assert.Equal(0, member.Account.BalanceAt(EndOf2026));
        Assert.Equal(0, member.Account.AvailableAt(EndOf2026));
        Assert.Equal(600, member.State.Balance); // nothing written yet
        Assert.Empty(member.Drain());
    }

    [Fact]
    public void Accrue_AfterLotsExpired_WritesExpireRowsBeforeTheEarnRow()
    {
        var member = MemberWith600PointsEarnedIn2025();
        var now = new DateTimeOffset(2027, 1, 5, 2, 0, 0, TimeSpan.Zero);

        var outcome = member.Accrue("p-2", 1_000, now);

        Assert.Equal(10, outcome.Receipt.Balance);
        var rows = member.Drain();
        Assert.Equal(
            [
                new LedgerEntry(3, "p-2", LedgerKind.Expire, -100, 500, TestPrograms.Version, Cmd.Store, Cmd.Terminal, now),
                new LedgerEntry(4, "p-2", LedgerKind.Expire, -500, 0, TestPrograms.Version, Cmd.Store, Cmd.Terminal, now),
                new LedgerEntry(5, "p-2", LedgerKind.Earn, 10, 10, TestPrograms.Version, Cmd.Store, Cmd.Terminal, now),
            ],
            rows);
        Assert.Equal(10, member.State.Balance);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Reserve_AtExpiryInstant_WritesExpireRowsForRemainingPointsOnly()
    {
        var member = MemberWith600PointsEarnedIn2025();
        var hold = member.Reserve("r-1", 120, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2)); // enrolment lot emptied, 480 left in the purchase lot
        member.Accrue("p-2", 5_000, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)); // 50 points, expiring 2027
        member.Drain();

        member.Reserve("r-2", 50, EndOf2026);

        var row = Assert.Single(member.Drain());
        Assert.Equal(new LedgerEntry(5, "r-2", LedgerKind.Expire, -480, 50, TestPrograms.Version, Cmd.Store, Cmd.Terminal, EndOf2026), row);
        Assert.Equal(50, member.State.Balance);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Accrue_OneSecondBeforeExpiry_WritesNoExpireRow()
    {
        var member = MemberWith600PointsEarnedIn2025();

        member.Accrue("p-2", 1_000, EndOf2026.AddSeconds(-1));

        Assert.Equal(LedgerKind.Earn, Assert.Single(member.Drain()).Kind);
        Assert.Equal(610, member.State.Balance);
    }

    [Fact]
    public void Reserve_ExpiredPoints_FailsOnPointsAndWritesNothing()
    {
        var member = MemberWith600PointsEarnedIn2025();

        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-1", 1), EndOf2026));
        Assert.Equal(600, member.State.Balance);
    }

    [Fact]
    public void Capture_HoldOnPointsThatExpiredMeanwhile_FailsOnPoints()
    {
        var member = MemberWith600PointsEarnedIn2025();
        var hold = member.Reserve("r-1", 600, EndOf2026.AddMinutes(-5)).Receipt.HoldId!;

        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Capture(Cmd.Capture("c-1", hold), EndOf2026));
    }
}
