using MemberGrains.Abstractions;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Silo;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// A member active twice at once, each copy believing it is the only one: what the eventually
/// consistent grain directory allowed for a moment while a silo shut down (a capture refused
/// NOT_FOUND for a hold the other copy had just committed). Driven deterministically with two
/// separate two-silo clusters on one database, each holding its own activation of the member:
/// a refusal is answered only once Postgres confirms the memory it was decided on, and a change
/// made on stale memory is decided again on what Postgres holds.
/// </summary>
public sealed class StaleActivationTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private InProcessTestCluster _first = null!;
    private InProcessTestCluster _second = null!;
    private Db _db = null!;

    public async ValueTask InitializeAsync()
    {
        _db = new Db(await SharedPostgres.CreateDatabaseAsync("stale"));
        _first = await ClusterAsync(_db);
        _second = await ClusterAsync(_db);
    }

    public async ValueTask DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task CaptureRedemption_HoldCommittedByTheOtherActivation_ConfirmedAgainstPostgresThenCaptured()
    {
        var id = Make.MemberId();
        var here = _first.Client.GetGrain<IMemberGrain>(id);
        var there = _second.Client.GetGrain<IMemberGrain>(id);
        await here.EnrollAsync(Make.Enroll(id));
        await here.AccrueAsync(Make.Accrue("a-1", 200_000));
        var before = await there.GetAsync();

        var hold = await here.ReserveAsync(Make.Reserve("r-1", 1_000));
        var captured = await there.CaptureAsync(Make.Capture("c-1", hold.HoldId!));

        Assert.False(captured.Replayed);
        Assert.Equal(before.Balance - 1_000, captured.Balance);
        Assert.Equal(1, await _db.LedgerRowsAsync(id, "c-1"));
        Assert.Equal(captured.Balance, await _db.LedgerSumAsync(id));

        // The first copy is now the stale one: its next change is decided again on Postgres' state.
        var accrued = await here.AccrueAsync(Make.Accrue("a-2", 10_000));
        Assert.False(accrued.Replayed);
        Assert.Equal(captured.Balance + 100, accrued.Balance);
        Assert.Equal(accrued.Balance, await _db.LedgerSumAsync(id));
        Assert.True((await there.CaptureAsync(Make.Capture("c-1", hold.HoldId!))).Replayed);
    }

    [Fact]
    public async Task ReserveRedemption_PointsEarnedThroughTheOtherActivation_NotRefusedOnTheStaleBalance()
    {
        var id = Make.MemberId();
        var here = _first.Client.GetGrain<IMemberGrain>(id);
        var there = _second.Client.GetGrain<IMemberGrain>(id);
        await here.EnrollAsync(Make.Enroll(id));
        Assert.Equal(100, (await there.GetAsync()).Available);

        await here.AccrueAsync(Make.Accrue("a-1", 200_000));
        var hold = await there.ReserveAsync(Make.Reserve("r-1", 1_000));

        Assert.NotNull(hold.HoldId);
        Assert.Equal(hold.Balance, await _db.LedgerSumAsync(id));
    }

    [Fact]
    public async Task ReserveRedemption_TrulyNotEnoughPoints_RefusedAfterConfirmingWithNothingStored()
    {
        var id = Make.MemberId();
        var here = _first.Client.GetGrain<IMemberGrain>(id);
        await here.EnrollAsync(Make.Enroll(id));
        var version = (await _db.MemberRowAsync(id))!.Value.Version;

        var refused = await Assert.ThrowsAsync<MemberOperationException>(() => here.ReserveAsync(Make.Reserve("r-1", 1_000)));

        Assert.Equal(RefusalKind.FailedPrecondition, refused.Kind);
        Assert.Equal("points", refused.Field);
        Assert.Equal(version, (await _db.MemberRowAsync(id))!.Value.Version);
    }

    private static async Task<InProcessTestCluster> ClusterAsync(Db db)
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => SiloHost.ConfigureMemberCluster(silo));
        builder.ConfigureSiloHost((_, host) => MemberClusterFixture.AddMemberServices(host.Services, db.ConnectionString, new FakeTimeProvider(Start)));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }
}
