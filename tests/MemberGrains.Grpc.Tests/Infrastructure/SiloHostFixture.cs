using Grpc.Net.Client;
using MemberGrains.Grains;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;
using MemberGrains.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>
/// The real silo process in-process: Kestrel (h2c on 127.0.0.1, free port) co-hosting one Orleans
/// silo whose member grains commit to a fresh database on the test Postgres, started on the flat
/// test program or on the shipped default program. Members run on a driven clock; Orleans and
/// Kestrel keep the real one. The sweeper is off.
/// </summary>
public abstract class SiloHostFixture(bool defaultProgram, string purpose) : IAsyncLifetime
{
    /// <summary>Where the members' clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private SiloHost? _host;

    /// <summary>The members' clock.</summary>
    public FakeTimeProvider Time { get; } = new(Start);

    public Db Db { get; private set; } = null!;

    public GrpcChannel Channel { get; private set; } = null!;

    public PointOfSale.PointOfSaleClient Client { get; private set; } = null!;

    public Admin.AdminClient Admin { get; private set; } = null!;

    public SiloHost Host => _host ?? throw new InvalidOperationException("The host is not started.");

    public async ValueTask InitializeAsync()
    {
        Db = new Db(await SharedPostgres.CreateDatabaseAsync(purpose));
        _host = await TestSilo.StartAsync(Db.ConnectionString, services: services => services.AddSingleton(new MemberClock(Time)), defaultProgram: defaultProgram);
        Channel = GrpcChannel.ForAddress(_host.GrpcAddress);
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

        GC.SuppressFinalize(this);
    }
}
