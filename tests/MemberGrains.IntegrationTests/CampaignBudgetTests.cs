using System.Collections.Concurrent;
using MemberGrains.Abstractions.Grains;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using static MemberGrains.IntegrationTests.Infrastructure.BudgetWrites;

namespace MemberGrains.IntegrationTests;

/// <summary>A two-silo cluster with campaign budgets on a fresh database, the budgets on a driven clock.</summary>
public sealed class BudgetClusterFixture : IAsyncLifetime
{
    public BudgetCluster Budget { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Budget = await BudgetCluster.StartAsync(new Db(await SharedPostgres.CreateDatabaseAsync("budgets")));

    public async ValueTask DisposeAsync()
    {
        if (Budget is not null)
        {
            await Budget.DisposeAsync();
        }
    }
}

/// <summary>
/// Campaign budgets across a real two-silo cluster: takes answered from each silo's leases never
/// add up to more than the total, uses are stored with their member change, and a use of a lease
/// closed meanwhile is refused and decided again. The member grain does not take budget yet, so
/// the tests do what it will: prepare, take, commit through the silo's member store, settle.
/// </summary>
public sealed class CampaignBudgetTests(BudgetClusterFixture fixture) : IClassFixture<BudgetClusterFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private BudgetCluster Budget => fixture.Budget;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Take_300AttemptsOnTwoSilosAgainstABudgetOf40_Exactly40SucceedAndAre40StoredUses()
    {
        const long total = 40;
        const int attemptsPerSilo = 150;
        const int workersPerSilo = 4;
        var offer = await DefineAsync(Budget.Repository, total);
        var tokens = new ConcurrentBag<string>();
        var refused = 0;

        await Task.WhenAll(RunSiloAsync(0), RunSiloAsync(1)).WaitAsync(Patience, Ct);

        Assert.Equal(total, tokens.Count);
        Assert.Equal(2 * attemptsPerSilo - total, refused);
        Assert.Equal(total, await Budget.Db.UseRowsAsync(offer));
        var status = await Budget.Grains.GetGrain<ICampaignBudgetGrain>(offer).GetStatusAsync();
        Assert.Equal((total, 0L), (status.Spent, status.Available));

        Task RunSiloAsync(int silo)
        {
            var budgets = Budget.Budgets(silo);
            var store = Budget.Store(silo);
            var attempts = 0;
            return Task.WhenAll(Enumerable.Range(0, workersPerSilo).Select(_ => Task.Run(
                async () =>
                {
                    while (Interlocked.Increment(ref attempts) <= attemptsPerSilo)
                    {
                        // What a checkout does: make sure a lease is at hand, take in the synchronous step, commit, settle.
                        await budgets.PrepareAsync([offer], Ct);
                        var token = budgets.Take(offer, 1);
                        if (token is null)
                        {
                            Interlocked.Increment(ref refused);
                            continue;
                        }

                        await CommitAsync(budgets, store, offer, token);
                        tokens.Add(token);
                    }
                },
                Ct)));
        }
    }

    [Fact]
    public async Task CommitAsync_LeaseClosedBetweenTakeAndCommit_RefusedNothingStoredAndTheSiloGoesOnWithANewLease()
    {
        var offer = await DefineAsync(Budget.Repository, 20);
        var budgets = Budget.Budgets(0);
        var store = Budget.Store(0);
        await budgets.PrepareAsync([offer], Ct);
        var token = budgets.Take(offer, 1)!;
        var leaseId = OfferLeaseToken.Parse(token)!.Value;
        var member = Make.MemberId();

        // Closed behind the silo's back, as a reclaim after a long pause (or a lowered total) would.
        await Budget.Repository.ReturnAsync(leaseId, Budget.Time.GetUtcNow(), Ct);
        var refusal = await Assert.ThrowsAsync<OfferLeaseClosedException>(() => store.CommitAsync(EnrolWithUse(member, offer, token), Ct));

        Assert.Equal([leaseId], refusal.LeaseIds);
        Assert.Null(await Budget.Db.MemberRowAsync(member));
        Assert.Equal(0L, await Budget.Db.UseRowsAsync(offer));

        // What the member grain does with it: tell the budgets, give the units back, decide again.
        budgets.LeasesClosed(refusal.LeaseIds);
        budgets.NotCommitted(token, 1);
        await budgets.PrepareAsync([offer], Ct);
        var again = budgets.Take(offer, 1);
        Assert.NotNull(again);
        Assert.NotEqual(token, again);
        await CommitAsync(budgets, store, offer, again, member);
        Assert.Equal(1L, await Budget.Db.UseRowsAsync(offer));
    }

    [Fact]
    public async Task Take_LeaseEndsWhileAUseIsBeingCommitted_ReturnedOnlyOnceTheUseSettledAndCountingIt()
    {
        var offer = await DefineAsync(Budget.Repository, 20);
        var budgets = Budget.Budgets(1);
        var store = Budget.Store(1);
        await budgets.PrepareAsync([offer], Ct);
        var token = budgets.Take(offer, 1)!;

        // The lease's time runs out while its use is still on the way to Postgres.
        Budget.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(budgets.Take(offer, 1));
        await CommitAsync(budgets, store, offer, token);

        var lease = OfferLeaseToken.Parse(token)!.Value;
        await UntilAsync($"lease {lease} to be closed once its use settled", async () => await Budget.Db.ScalarAsync<long>("SELECT COUNT(*) FROM offer_budget_lease WHERE lease_id = @l AND closed_at IS NOT NULL", ("l", lease)) == 1);
        Assert.Equal(1L, await Budget.Db.ScalarAsync<long>("SELECT used FROM offer_budget_lease WHERE lease_id = @l AND closed_how = 'returned'", ("l", lease)));
        Assert.Equal(1L, (await Budget.Repository.ReadAsync(offer, Ct))!.Spent);
    }

    [Fact]
    public async Task CanTake_WithAndWithoutALeaseAtHand_AnswersFromTheLeaseOrWhatTheCoordinatorLastSaid()
    {
        var offer = await DefineAsync(Budget.Repository, 30);
        var budgets = Budget.Budgets(0);

        // Nothing known yet: yes (the take at checkout decides), and the budget is looked up.
        Assert.True(budgets.CanTake(offer, 1_000));
        await budgets.PrepareAsync([offer], Ct);

        Assert.True(budgets.CanTake(offer, 3));
        Assert.False(budgets.CanTake(offer, 28));
        Assert.Equal(3L, budgets.HeldRemaining(offer));
        Assert.True(budgets.CanTake(offer, 27));
    }

    [Fact]
    public async Task RequestLeaseAsync_TwoClustersOnOneDatabase_TheirCoordinatorsGrantExactlyTheTotalNeverMore()
    {
        const long total = 100;
        var offer = await DefineAsync(Budget.Repository, total);
        await using var other = await BudgetCluster.StartAsync(Budget.Db, silos: 1);
        var granted = new ConcurrentBag<long>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => DrainAsync(i % 2 == 0 ? Budget.Grains : other.Grains, $"silo-{i}"))).WaitAsync(Patience, Ct);

        Assert.Equal(total, granted.Sum());
        Assert.Equal(total, await Budget.Db.ScalarAsync<long>(
            "SELECT SUM(amount)::bigint FROM offer_budget_lease WHERE offer_id = @o AND closed_at IS NULL", ("o", offer)));

        async Task DrainAsync(IGrainFactory grains, string silo)
        {
            var coordinator = grains.GetGrain<ICampaignBudgetGrain>(offer);
            while (await coordinator.RequestLeaseAsync(silo, 1) is { LeaseId: not null } grant)
            {
                granted.Add(grant.Amount);
            }
        }
    }

    /// <summary>Defines a new offer with a budget of <paramref name="total"/> uses; its id.</summary>
    internal static async Task<string> DefineAsync(OfferBudgetRepository repository, long total)
    {
        var offer = OfferId();
        await repository.DefineAsync(offer, OfferBudgetUnit.Uses, total, 1, T0, Ct);
        return offer;
    }

    /// <summary>Enrols a member with one use taken with <paramref name="token"/> through the silo's store, and settles the token.</summary>
    internal static async Task CommitAsync(Grains.OfferBudgets budgets, IMemberStore store, string offer, string token, string? member = null)
    {
        try
        {
            await store.CommitAsync(EnrolWithUse(member ?? Make.MemberId(), offer, token), Ct);
        }
        catch
        {
            budgets.NotCommitted(token, 1);
            throw;
        }

        budgets.Committed(token, 1);
    }

    /// <summary>Waits (bounded, saying for what) until <paramref name="condition"/> holds.</summary>
    internal static Task UntilAsync(string awaited, Func<Task<bool>> condition) =>
        Eventually.UntilAsync(awaited, condition, Patience);
}
