using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Tests;

public sealed class WatchRegistryTests
{
    [Fact]
    public void TryOpen_MemberWithAChangeInFlight_NoWatchUntilItIsAnswered()
    {
        var registry = new WatchRegistry(10);
        var ticket = registry.Sending(3, accrue: false);

        Assert.Null(registry.TryOpen(3));
        Assert.Equal(0, registry.Count);
        registry.Answered(ticket, ChangeState.Applied, 1, new Receipt { Balance = 100 });
        Assert.NotNull(registry.TryOpen(3));
    }

    [Fact]
    public void TryOpen_MemberWatchedAlready_NoSecondWatchUntilClosed()
    {
        var registry = new WatchRegistry(10);
        var watch = registry.TryOpen(3)!;

        Assert.Null(registry.TryOpen(3));
        Assert.NotNull(registry.TryOpen(4));
        registry.Close(watch);
        Assert.NotNull(registry.TryOpen(3));
    }

    [Fact]
    public void Sending_WatchedMember_TheWatchMatchesItsAccrualToTheView()
    {
        var registry = new WatchRegistry(10);
        var watch = registry.TryOpen(3)!;
        watch.Viewed(1, 100, 5);

        var ticket = registry.Sending(3, accrue: true);
        registry.Answered(ticket, ChangeState.Applied, 20, new Receipt { Balance = 150, Points = 50 });
        var other = registry.Sending(4, accrue: true);
        registry.Answered(other, ChangeState.Applied, 21, new Receipt { Balance = 150, Points = 50 });
        watch.Viewed(2, 150, 30);

        var (accrual, verdict) = Assert.Single(watch.Verdicts(final: true));
        Assert.Equal(1, accrual.VersionBefore);
        Assert.Equal(new WatchVerdict(WatchVerdictKind.Shown, 30), verdict);
        Assert.Null(other.Watch);
    }

    [Fact]
    public async Task SettleAsync_AccrualShown_ReturnsWithoutWaitingForTheBound()
    {
        var registry = new WatchRegistry(10);
        var watch = registry.TryOpen(3)!;
        watch.Viewed(1, 100, 5);
        var ticket = registry.Sending(3, accrue: true);
        registry.Answered(ticket, ChangeState.Applied, System.Diagnostics.Stopwatch.GetTimestamp(), new Receipt { Balance = 150, Points = 50 });

        var settle = watch.SettleAsync(TimeSpan.FromHours(1), TestContext.Current.CancellationToken);
        watch.Viewed(2, 150, System.Diagnostics.Stopwatch.GetTimestamp());
        await settle.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);

        Assert.Equal(WatchVerdictKind.Shown, Assert.Single(watch.Verdicts(final: true)).Verdict.Kind);
    }
}
