using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Tests;

/// <summary>
/// Matching an accrual to the view of a watching stream that shows it. Times are plain ticks; the
/// watched member starts at version 1 with 100 points, and the stream has shown that first view.
/// </summary>
public sealed class WatchMatchTests
{
    private static readonly WatchedView First = new(1, 100, 5);

    [Fact]
    public void Resolve_ViewWithTheReceiptBalance_ShownWhenItArrived()
    {
        WatchedChange[] changes = [Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150)];

        var verdict = WatchMatch.Resolve([First, new(2, 150, 24)], changes, 0, final: false);

        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 24), verdict);
    }

    [Fact]
    public void Resolve_ViewBeforeTheTillsAnswer_ShownAtTheViewsTime()
    {
        WatchedChange[] changes = [Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150)];

        var verdict = WatchMatch.Resolve([First, new(2, 150, 18)], changes, 0, final: false);

        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 18), verdict);
    }

    [Fact]
    public void Resolve_EarlierChangeShownLate_SkippedForTheAccrualsView()
    {
        // A capture answered before the Accrue was sent, its view still on the way: the first view
        // above version 1 is the capture's, not the accrual's.
        WatchedChange[] changes =
        [
            new(false, 2, 1, ChangeState.Applied, 6, 40, 60),
            Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 90),
        ];

        var verdict = WatchMatch.Resolve([First, new(2, 40, 12), new(3, 90, 22)], changes, 1, final: false);

        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 22), verdict);
    }

    [Fact]
    public void Resolve_AccrualsVersionSkippedForALaterChange_ShownByTheLaterView()
    {
        // The activity after the purchase came so quickly that the stream skipped version 2.
        WatchedChange[] changes =
        [
            Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150),
            new(false, 21, 1, ChangeState.Applied, 30, 160, 10),
        ];

        var verdict = WatchMatch.Resolve([First, new(3, 160, 28)], changes, 0, final: false);

        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 28), verdict);
    }

    [Fact]
    public void Resolve_LaterChangeNotAnsweredYet_PendingThenUncertainWhenClosed()
    {
        WatchedChange[] changes =
        [
            Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150),
            new(false, 21, 1),
        ];
        WatchedView[] views = [First, new(3, 160, 28)];

        Assert.Equal(WatchVerdict.Pending, WatchMatch.Resolve(views, changes, 0, final: false));
        Assert.Equal(WatchVerdict.Uncertain, WatchMatch.Resolve(views, changes, 0, final: true));
    }

    [Fact]
    public void Resolve_NoViewShowsIt_PendingThenMissedWhenClosed()
    {
        WatchedChange[] changes = [Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150)];

        Assert.Equal(WatchVerdict.Pending, WatchMatch.Resolve([First], changes, 0, final: false));
        Assert.Equal(WatchVerdict.Missed, WatchMatch.Resolve([First], changes, 0, final: true));
    }

    [Fact]
    public void Resolve_ViewNotAboveTheVersionSeenWhenSent_NotTheAccrualsView()
    {
        // Balance 150 at version 1 was the member's state before the Accrue was sent.
        WatchedChange[] changes = [Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150)];

        var verdict = WatchMatch.Resolve([new(1, 150, 5)], changes, 0, final: true);

        Assert.Equal(WatchVerdict.Missed, verdict);
    }

    [Theory]
    [InlineData("Applied", 5, 15)] // sent before the Accrue, answered after it was sent
    [InlineData("Applied", 15, 25)] // sent while the Accrue was in flight
    [InlineData("InFlight", 15, 0)]
    [InlineData("Unknown", 5, 8)] // may have been applied after the Accrue
    public void Resolve_AnotherChangeRacedIt_Uncertain(string state, long sentAt, long answeredAt)
    {
        WatchedChange[] changes =
        [
            Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150),
            new(false, sentAt, 1, Enum.Parse<ChangeState>(state), answeredAt, 170, 20),
        ];

        var verdict = WatchMatch.Resolve([First, new(2, 150, 22), new(3, 170, 26)], changes, 0, final: true);

        Assert.Equal(WatchVerdict.Uncertain, verdict);
    }

    [Fact]
    public void Resolve_RefusedChangeMeanwhile_Ignored()
    {
        WatchedChange[] changes =
        [
            Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150),
            new(false, 15, 1, ChangeState.Refused, 18),
        ];

        var verdict = WatchMatch.Resolve([First, new(2, 150, 22)], changes, 0, final: true);

        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 22), verdict);
    }

    [Fact]
    public void Resolve_EarlierChangeLeftTheSameBalance_Uncertain()
    {
        // A reservation (balance unchanged at 150) then a purchase earning 50 after a 50-point
        // capture: the reservation's view and the accrual's both show 150.
        WatchedChange[] changes =
        [
            new(false, 2, 1, ChangeState.Applied, 4, 150, 50),
            new(false, 5, 1, ChangeState.Applied, 7, 100, 50),
            Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 150),
        ];

        var verdict = WatchMatch.Resolve([new(1, 150, 1), new(2, 150, 12), new(4, 150, 22)], changes, 2, final: true);

        Assert.Equal(WatchVerdict.Uncertain, verdict);
    }

    [Fact]
    public void Resolve_NoPoints_Uncertain()
    {
        WatchedChange[] changes = [Accrual(sentAt: 10, versionBefore: 1, answeredAt: 20, balance: 100, points: 0)];

        Assert.Equal(WatchVerdict.Uncertain, WatchMatch.Resolve([First, new(2, 100, 22)], changes, 0, final: true));
    }

    [Fact]
    public void Resolve_NoViewYetWhenSentAfterEarlierChanges_Uncertain()
    {
        // The stream's first view had not arrived when the Accrue was sent: it may show any state
        // from before the earlier change on.
        WatchedChange[] changes =
        [
            new(false, 2, 0, ChangeState.Applied, 4, 60, 40),
            Accrual(sentAt: 10, versionBefore: 0, answeredAt: 20, balance: 100),
        ];

        Assert.Equal(WatchVerdict.Uncertain, WatchMatch.Resolve([new(1, 100, 12)], changes, 1, final: true));
    }

    [Fact]
    public void Resolve_NoViewYetWhenSentNothingEarlier_FirstViewWithTheBalance()
    {
        WatchedChange[] changes = [Accrual(sentAt: 10, versionBefore: 0, answeredAt: 20, balance: 150)];

        var verdict = WatchMatch.Resolve([new(1, 100, 12), new(2, 150, 23)], changes, 0, final: true);

        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 23), verdict);
    }

    [Fact]
    public void Resolve_NotAnAppliedAccrue_Throws()
    {
        WatchedChange[] changes = [new(true, 10, 1)];

        Assert.Throws<ArgumentException>(() => WatchMatch.Resolve([First], changes, 0, final: false));
    }

    private static WatchedChange Accrual(long sentAt, long versionBefore, long answeredAt, long balance, long points = 50) =>
        new(true, sentAt, versionBefore, ChangeState.Applied, answeredAt, balance, points);
}
