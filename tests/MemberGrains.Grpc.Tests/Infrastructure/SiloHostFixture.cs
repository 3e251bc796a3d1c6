using Grpc.Net.Client;
using MemberGrains.Grains;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using MemberGrains.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>
/// The real silo process in-process: Kestrel (h2c on 127.0.0.1, free port) co-hosting one Orleans
/// silo whose member grains commit to a fresh database on the test Postgres, started on the flat
/// test program or on the shipped default program. Members run on a driven clock; Orleans and
/// Kestrel keep the real one. The sweeper is off. An admin key is created in the database (through
/// the real ApiKeyStore) when the fixture starts, and <see cref="Channel"/> sends it on every call.
/// </summary>
public abstract class SiloHostFixture(bool defaultProgram, string purpose) : IAsyncLifetime
{
    /// <summary>Where the members' clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private SiloHost? _host;
    private NpgsqlDataSource? _dataSource;

    /// <summary>The members' clock.</summary>
    public FakeTimeProvider Time { get; } = new(Start);

    public Db Db { get; private set; } = null!;

    /// <summary>The API keys in the fixture's database.</summary>
    public ApiKeyStore Keys { get; private set; } = null!;

    /// <summary>The admin key every client of <see cref="Channel"/> sends.</summary>
    public string AdminKey { get; private set; } = null!;

    /// <summary>A channel to the silo that sends <see cref="AdminKey"/> on every call.</summary>
    public GrpcChannel Channel { get; private set; } = null!;

    public PointOfSale.PointOfSaleClient Client { get; private set; } = null!;

    public Admin.AdminClient Admin { get; private set; } = null!;

    public SiloHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>A new channel to the silo that sends <paramref name="key"/> on every call (nothing when null).</summary>
    public GrpcChannel ChannelWith(string? key, GrpcChannelOptions? options = null) => TestKeys.Channel(Host.GrpcAddress, key, options);

    public async ValueTask InitializeAsync()
    {
        Db = new Db(await SharedPostgres.CreateDatabaseAsync(purpose));
        _dataSource = NpgsqlDataSource.Create(Db.ConnectionString);
        Keys = new ApiKeyStore(_dataSource);
        AdminKey = (await Keys.CreateAsync("grpc tests", ApiKeyScope.Admin, "tests")).KeyText;
        _host = await TestSilo.StartAsync(Db.ConnectionString, services: services => services.AddSingleton(new MemberClock(Time)), defaultProgram: defaultProgram);
        Channel = ChannelWith(AdminKey);
        Client = new PointOfSale.PointOfSaleClient(Channel);
        Admin = new Admin.AdminClient(Channel);
    }

    public async ValueTask DisposeAsync()
    {
        Channel?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
