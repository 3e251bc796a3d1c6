using MemberGrains.Domain.Rules;
using MemberGrains.Grains;
using MemberGrains.Persistence;
using MemberGrains.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// A real two-silo Orleans cluster (in-process TestingHost) whose member grains commit to a
/// fresh database on the test Postgres and decide with the flat test program (version 1, held in
/// memory). Members run on a driven clock; Orleans keeps the real one.
/// </summary>
public sealed class MemberClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public Db Db { get; private set; } = null!;

    /// <summary>The members' clock.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 6, 1, 2, 0, 0, TimeSpan.Zero));

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        Db = new Db(await SharedPostgres.CreateDatabaseAsync("cluster"));
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => SiloHost.ConfigureMemberCluster(silo));
        builder.ConfigureSiloHost((_, host) => AddMemberServices(host.Services, Db.ConnectionString, Time));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>
    /// What a test silo needs to host members: their clock, the member store on the database, the
    /// grain services and the flat program. A store registered before this call replaces the real one.
    /// </summary>
    public static void AddMemberServices(IServiceCollection services, string connectionString, TimeProvider time)
    {
        services.AddSingleton(new MemberClock(time));
        services.AddMemberStore(connectionString);
        services.AddMemberGrainServices();
        services.AddSingleton<IProgramCatalog>(TestPrograms.FlatCatalog());
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
