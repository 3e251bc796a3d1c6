using MemberGrains.Domain.Rules;
using MemberGrains.Grains;
using MemberGrains.Persistence;
using MemberGrains.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// A real in-process Orleans cluster hosting members and campaign budgets on a test database,
/// with the budgets on a driven clock (leases lapse only when a test moves it) and Orleans on the
/// real one. Each silo's <see cref="OfferBudgets"/> and member store are reachable directly, and
/// members (on the flat program, or the one given) take budget through them.
/// </summary>
public sealed class BudgetCluster : IAsyncDisposable
{
    private BudgetCluster(InProcessTestCluster cluster, Db db, FakeTimeProvider time)
    {
        Cluster = cluster;
        Db = db;
        Time = time;
    }

    public InProcessTestCluster Cluster { get; }

    public Db Db { get; }

    /// <summary>The budgets' clock, shared by every silo of the cluster (and its coordinators).</summary>
    public FakeTimeProvider Time { get; }

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Starts <paramref name="silos"/> silos on <paramref name="db"/>; <paramref name="options"/> may change the budget settings.</summary>
    public static async Task<BudgetCluster> StartAsync(Db db, int silos = 2, Action<OfferBudgetOptions>? options = null, FakeTimeProvider? time = null, IProgramCatalog? programs = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero));
        var builder = new InProcessTestClusterBuilder((short)silos);
        builder.ConfigureSilo((_, silo) => SiloHost.ConfigureMemberCluster(silo));
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Services.AddSingleton(new BudgetClock(time));
            MemberClusterFixture.AddMemberServices(host.Services, db.ConnectionString, time);
            if (programs is not null)
            {
                host.Services.AddSingleton(programs);
            }

            host.Services.Configure<OfferBudgetOptions>(o => options?.Invoke(o));
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return new BudgetCluster(cluster, db, time);
    }

    public OfferBudgets Budgets(int silo) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<OfferBudgets>();

    public IMemberStore Store(int silo) => Cluster.Silos[silo].ServiceProvider.GetRequiredService<IMemberStore>();

    public OfferBudgetRepository Repository => Cluster.Silos[0].ServiceProvider.GetRequiredService<OfferBudgetRepository>();

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Db.ClearPool();
    }
}
