using MemberGrains.Abstractions;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MemberGrains.IntegrationTests;

/// <summary>One silo whose member store is the real one behind a gate the tests hold and release.</summary>
public sealed class GatedClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public Db Db { get; private set; } = null!;

    public GatedMemberStore Gate { get; private set; } = null!;

    /// <summary>Sees each call reach its member and run its first turn (see <see cref="GrainCallProbe"/>).</summary>
    public GrainCallProbe Probe { get; } = new();

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        Db = new Db(await SharedPostgres.CreateDatabaseAsync("gated"));
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            SiloHost.ConfigureMemberCluster(silo);
            silo.AddIncomingGrainCallFilter(Probe);
        });
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton<IMemberStore>(sp => Gate = new GatedMemberStore(sp.GetRequiredService<MemberStore>()));
            MemberClusterFixture.AddMemberServices(host.Services, Db.ConnectionString, new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero)));
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        // The providers and Db pool by connection string, outside the silos: free the shared server's slots.
        Db?.ClearPool();
    }
}

/// <summary>
/// Early lock release: a member's next change is applied while the previous commit is in flight
/// and shares a later commit; callers are answered only after their own change is durable; a
/// failed commit fails every change built on it; reads see only committed state.
/// </summary>
[Collection(GatedCollection.Name)]
public sealed class SharedCommitTests(GatedClusterFixture fixture)
{
    // Only ever waited for things that will happen; generous, since the machine may be slow.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private Db Db => fixture.Db;

    private GatedMemberStore Gate => fixture.Gate;

    private GrainCallProbe Probe => fixture.Probe;

    [Fact]
    public async Task Accrue_TenConcurrentWhileCommitInFlight_AllAppliedBeforeAnyCommitAndEachAnsweredAfterItsOwn()
    {
        var (id, member) = await EnrolledAsync();

        Gate.Hold();
        var calls = Enumerable.Range(0, 10).Select(i => member.AccrueAsync(Make.Accrue($"a-{i}", 10_000))).ToList();
        await Gate.WaitForHeldAsync(10, Patience);
        var atGrain = await Probe.WaitForCallsAsync(id, nameof(IMemberGrain.AccrueAsync), 10, Patience);

        // All ten writes are held at the gate, and each call is answered only after its own write
        // is committed: while the gate holds, none can finish, however long we looked. A grain that
        // answered before its commit would have finished the call in the turn that handed the write
        // over, and every one of those turns has ended (the probe saw them all).
        Assert.All(atGrain, c => Assert.False(c.Finished.IsCompleted, $"{c.Method} finished while its write was held"));
        Assert.All(calls, c => Assert.False(c.IsCompleted));
        Assert.Equal(0, await Db.LedgerRowsAsync(id, "a-0"));
        Gate.Release();
        var receipts = await Task.WhenAll(calls);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => 100 + (100L * i)), receipts.Select(r => r.Balance).Order());
        Assert.Equal(1_100, await Db.LedgerSumAsync(id));
        Assert.Equal(11, await Db.LedgerCountAsync(id));
        Assert.Equal((1_100L, 11L), await Db.MemberRowAsync(id));
        Assert.Equal(1_100, (await member.GetAsync()).Balance);
    }

    [Fact]
    public async Task Get_WhileCommitInFlight_WaitsForItAndHoldsBackLaterChanges()
    {
        var (id, member) = await EnrolledAsync();

        Gate.Hold();
        var first = member.AccrueAsync(Make.Accrue("first", 20_000));
        await Gate.WaitForHeldAsync(1, Patience);
        var read = member.GetAsync();
        var readAtGrain = (await Probe.WaitForCallsAsync(id, nameof(IMemberGrain.GetAsync), 1, Patience))[0];

        // The read has run its first turn (it waits for the commit in flight), so the second change
        // is dispatched after it.
        var second = member.AccrueAsync(Make.Accrue("second", 30_000));
        var secondAtGrain = (await Probe.WaitForCallsAsync(id, nameof(IMemberGrain.AccrueAsync), 2, Patience))[1];

        // The read waits for the first commit, which the gate holds: it can't have finished. The
        // second change has run its first turn: applied, it would have handed its write to the store
        // in that turn (the gate holds every write), so one held write means it was held back.
        Assert.False(readAtGrain.Finished.IsCompleted);
        Assert.False(read.IsCompleted);
        Assert.Single(Gate.Held);
        Assert.False(secondAtGrain.Finished.IsCompleted);
        Gate.Release();

        Assert.Equal(300, (await read).Balance);
        Assert.Equal(300, (await first).Balance);
        Assert.Equal(600, (await second).Balance);
        Assert.Equal(600, await Db.LedgerSumAsync(id));
    }

    [Fact]
    public async Task Accrue_CommitFails_ItFailsAndTheChangesBuiltOnItAreDecidedAgainOnPostgresState()
    {
        var (id, member) = await EnrolledAsync();

        Gate.Hold();
        var calls = new List<Task<OperationReceipt>>();
        foreach (var request in new[] { "x-1", "x-2", "x-3" })
        {
            // One at a time, so x-1 is surely the first write held.
            calls.Add(member.AccrueAsync(Make.Accrue(request, 10_000)));
            await Gate.WaitForHeldAsync(calls.Count, Patience);
        }

        Gate.FailOnRelease(0);
        Gate.Release();

        // x-1 is lost; x-2 and x-3 were built on it, so their writes find Postgres at another
        // version (nothing stored) and are applied again on the reloaded member.
        await Assert.ThrowsAsync<StorageUnavailableException>(() => calls[0]);
        var later = await Task.WhenAll(calls.Skip(1));

        Assert.All(later, r => Assert.False(r.Replayed));
        Assert.Equal([200L, 300L], later.Select(r => r.Balance).Order());
        Assert.Equal(300, (await member.GetAsync()).Balance);
        Assert.Equal(300, await Db.LedgerSumAsync(id));
        Assert.Equal((300L, 3L), await Db.MemberRowAsync(id));
        Assert.Equal(0, await Db.LedgerRowsAsync(id, "x-1"));
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "x-2"));
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "x-3"));
        var retried = await member.AccrueAsync(Make.Accrue("x-1", 10_000));
        Assert.False(retried.Replayed);
        Assert.Equal(400, retried.Balance);
    }

    [Fact]
    public async Task Accrue_RetryWhileOriginalInFlight_AnsweredOnlyOnceOriginalCommits()
    {
        var (id, member) = await EnrolledAsync();

        Gate.Hold();
        var original = member.AccrueAsync(Make.Accrue("r-1", 10_000));
        await Gate.WaitForHeldAsync(1, Patience);
        var retry = member.AccrueAsync(Make.Accrue("r-1", 10_000));
        var retryAtGrain = (await Probe.WaitForCallsAsync(id, nameof(IMemberGrain.AccrueAsync), 2, Patience))[1];

        // The retry has run its first turn. It is answered only once the original's commit is
        // durable, and the gate holds that commit: it can't have finished. Applied a second time, it
        // would have handed a write of its own to the store in that turn.
        Assert.False(retryAtGrain.Finished.IsCompleted);
        Assert.False(retry.IsCompleted);
        Assert.Single(Gate.Held);
        Gate.Release();

        Assert.False((await original).Replayed);
        Assert.True((await retry).Replayed);
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "r-1"));
    }

    [Fact]
    public async Task Accrue_RetryWhileOriginalInFlightAndOriginalFails_OriginalFailsAndTheRetryAppliesItOnce()
    {
        var (id, member) = await EnrolledAsync();

        Gate.Hold();
        var original = member.AccrueAsync(Make.Accrue("r-1", 10_000));
        await Gate.WaitForHeldAsync(1, Patience);
        var retry = member.AccrueAsync(Make.Accrue("r-1", 10_000));

        // The retry has reached the member and waits for the original's commit (nothing new held)
        // before that commit is made to fail.
        var retryAtGrain = (await Probe.WaitForCallsAsync(id, nameof(IMemberGrain.AccrueAsync), 2, Patience))[1];
        Assert.False(retryAtGrain.Finished.IsCompleted);
        Assert.Single(Gate.Held);
        Gate.FailOnRelease(0);
        Gate.Release();

        // The original was not stored, so the retry (same id, same payload) is applied anew.
        await Assert.ThrowsAsync<StorageUnavailableException>(() => original);
        var retried = await retry;
        Assert.False(retried.Replayed);
        Assert.Equal(200, retried.Balance);
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "r-1"));
        Assert.Equal(200, (await member.GetAsync()).Balance);
    }

    [Fact]
    public async Task Accrue_TwoHundredConcurrentOnOneMember_EveryOneCountedOnce()
    {
        var (id, member) = await EnrolledAsync();

        var receipts = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => member.AccrueAsync(Make.Accrue($"hot-{i}", 1_000 + i))));

        var expected = 100 + Enumerable.Range(0, 200).Sum(i => (1_000 + i) / 100);
        Assert.Equal(200, receipts.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(expected, receipts.Max(r => r.Balance));
        Assert.Equal(expected, await Db.LedgerSumAsync(id));
        Assert.Equal(201, await Db.LedgerCountAsync(id));
        Assert.Equal(((long)expected, 201L), await Db.MemberRowAsync(id));
    }

    private async Task<(string Id, IMemberGrain Member)> EnrolledAsync()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        return (id, member);
    }
}

/// <summary>The gate is shared silo-wide: these tests run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class GatedCollection : ICollectionFixture<GatedClusterFixture>
{
    public const string Name = "gated member store";
}
