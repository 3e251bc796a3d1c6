using MemberGrains.Abstractions.Grains;
using MemberGrains.Grains;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Orleans.Runtime;
using static MemberGrains.IntegrationTests.CampaignBudgetTests;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// A silo leaving with a lease in hand never shrinks a campaign for good: a stopping silo returns
/// what it did not use at once, a crashed silo's lease lapses and its unused part is reclaimed and
/// spent by the others. Each test runs its own two-silo cluster (one silo goes away).
/// </summary>
public sealed class CampaignBudgetFailoverTests
{
    private const long Total = 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Take_SiloKilledHoldingALease_AfterItLapsesItsUnusedPartIsSpentByTheOtherSilo()
    {
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("budgetkill"));
        await using var cluster = await BudgetCluster.StartAsync(db, options: o => o.SliceFraction = 0.5);
        var offer = await OfferCoordinatedOnPrimaryAsync(cluster);
        var (survivor, victim) = (cluster.Budgets(0), cluster.Budgets(1));

        await victim.PrepareAsync([offer], Ct);
        var victimUsed = await SpendAsync(victim, cluster.Store(1), offer, max: 3);
        Assert.Equal(7L, victim.HeldRemaining(offer));
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos[1], Ct);

        // The survivor spends what was never leased; the victim's slice is still held by its lease.
        var before = await SpendAsync(survivor, cluster.Store(0), offer);
        Assert.Equal(Total - 10, before);

        // Past the lease's expiry and the grace, the next request reclaims it.
        cluster.Time.Advance(TimeSpan.FromSeconds(30 + 60 + 1));
        var after = await SpendAsync(survivor, cluster.Store(0), offer);

        Assert.Equal(7, after);
        Assert.Equal(Total, victimUsed + before + after);
        Assert.Equal(Total, await db.UseRowsAsync(offer));
        var status = await cluster.Grains.GetGrain<ICampaignBudgetGrain>(offer).GetStatusAsync();
        Assert.Equal((Total, 0L), (status.Spent, status.Available));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT used FROM offer_budget_lease WHERE offer_id = @o AND closed_how = 'reclaimed'", ("o", offer)));
    }

    [Fact]
    public async Task StopSiloAsync_SiloHoldingALease_ReturnsWhatItDidNotUseAtOnce()
    {
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("budgetstop"));
        await using var cluster = await BudgetCluster.StartAsync(db, options: o => o.SliceFraction = 0.5);
        var offer = await OfferCoordinatedOnPrimaryAsync(cluster);
        var (survivor, leaving) = (cluster.Budgets(0), cluster.Budgets(1));
        await leaving.PrepareAsync([offer], Ct);
        var used = await SpendAsync(leaving, cluster.Store(1), offer, max: 4);

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos[1], Ct);

        var status = (await cluster.Repository.ReadAsync(offer, Ct))!;
        Assert.Equal((0, 4L, Total - 4), (status.OpenLeases, status.Spent, status.Available));
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT used FROM offer_budget_lease WHERE offer_id = @o AND closed_how = 'returned'", ("o", offer)));
        Assert.Equal(Total - used, await SpendAsync(survivor, cluster.Store(0), offer));
        Assert.Equal(Total, await db.UseRowsAsync(offer));
    }

    /// <summary>
    /// Takes and commits one unit at a time (preparing first, as a checkout does) until the silo
    /// finds no budget or <paramref name="max"/> were spent; how many were.
    /// </summary>
    private static async Task<int> SpendAsync(OfferBudgets budgets, IMemberStore store, string offer, int max = int.MaxValue)
    {
        var spent = 0;
        while (spent < max)
        {
            await budgets.PrepareAsync([offer], Ct);
            if (budgets.Take(offer, 1) is not { } token)
            {
                return spent;
            }

            await CommitAsync(budgets, store, offer, token);
            spent++;
        }

        return spent;
    }

    /// <summary>A new offer with a budget of <see cref="Total"/> uses whose coordinator lives on the first silo (the one the tests keep).</summary>
    private static async Task<string> OfferCoordinatedOnPrimaryAsync(BudgetCluster cluster)
    {
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var primary = cluster.Cluster.Silos[0].SiloAddress;
        while (true)
        {
            var offer = await DefineAsync(cluster.Repository, Total);
            var coordinator = cluster.Grains.GetGrain<ICampaignBudgetGrain>(offer);
            await coordinator.GetStatusAsync();
            if (primary.Equals(await management.GetActivationAddress(coordinator, Ct)))
            {
                return offer;
            }
        }
    }
}
