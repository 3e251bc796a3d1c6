using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Silo;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace MemberGrains.IntegrationTests;

/// <summary>Two silos whose grain storage and reminders live in our Postgres schema (membership: see <see cref="AdoNetClusteringTests"/>).</summary>
public sealed class AdoNetClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public Db Db { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Db = new Db(await SharedPostgres.CreateDatabaseAsync("adonet"));
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddAdoNetGrainStorage(SiloHost.OrleansStorage, o => (o.Invariant, o.ConnectionString) = (SiloHost.AdoNetInvariant, Db.ConnectionString));
            silo.UseAdoNetReminderService(o => (o.Invariant, o.ConnectionString) = (SiloHost.AdoNetInvariant, Db.ConnectionString));
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

public sealed class OrleansProviderSchemaTests(AdoNetClusterFixture fixture) : IClassFixture<AdoNetClusterFixture>
{
    private IGrainFactory Grains => fixture.Cluster.Client;

    [Fact]
    public async Task Storage_WriteThenReactivate_ReadsBackAndKeysStayApart()
    {
        var first = Grains.GetGrain<IProviderProbeGrain>($"k-{Guid.NewGuid():N}");
        var second = Grains.GetGrain<IProviderProbeGrain>($"k-{Guid.NewGuid():N}");
        await first.WriteAsync("one");
        await first.WriteAsync("one, again");
        await second.WriteAsync("two");

        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal("one, again", await first.ReadAsync());
        Assert.Equal("two", await second.ReadAsync());
        await first.ClearAsync();
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        Assert.Null(await first.ReadAsync());
        Assert.Equal("two", await second.ReadAsync());
        Assert.Equal(2, await fixture.Db.ScalarAsync<long>("SELECT COUNT(*) FROM orleans_grain_state WHERE grain_type_string = 'probe'"));
    }

    [Fact]
    public async Task Reminders_RegisterAndUnregister_StoredInPostgres()
    {
        var key = $"r-{Guid.NewGuid():N}";
        var probe = Grains.GetGrain<IProviderProbeGrain>(key);

        await probe.RemindAsync("daily");
        await probe.RemindAsync("weekly");
        Assert.Equal(["daily", "weekly"], (await probe.RemindersAsync()).Order());
        Assert.Equal(2, await CountRemindersAsync(key));

        await probe.ForgetAsync("daily");
        Assert.Equal(["weekly"], await probe.RemindersAsync());
        Assert.Equal(1, await CountRemindersAsync(key));
    }

    private Task<long> CountRemindersAsync(string key) =>
        fixture.Db.ScalarAsync<long>("SELECT COUNT(*) FROM orleans_reminder WHERE grain_id LIKE @key", ("key", $"%{key}"));
}
