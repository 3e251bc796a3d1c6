using System.Net;
using MemberGrains.Grains;
using MemberGrains.Persistence;
using MemberGrains.Silo.Grpc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Orleans.Configuration;

namespace MemberGrains.Silo;

/// <summary>
/// Builds the silo process: Orleans co-hosted with ASP.NET Core gRPC on Kestrel, the member
/// store and the published programs on Postgres (an embedded one when no connection string is
/// configured), the schema applied at start-up, and the sweeper that touches due members.
/// </summary>
public sealed partial class SiloHost : IAsyncDisposable
{
    /// <summary>Orleans ADO.NET invariant for Npgsql.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>Name of the ADO.NET grain storage provider for grains other than members.</summary>
    public const string OrleansStorage = "orleans";

    private readonly EmbeddedPostgres? _embedded;
    private bool _started;

    private SiloHost(WebApplication app, EmbeddedPostgres? embedded, string connectionString)
    {
        App = app;
        _embedded = embedded;
        ConnectionString = connectionString;
    }

    public WebApplication App { get; }

    /// <summary>The Postgres the silo uses.</summary>
    public string ConnectionString { get; }

    /// <summary>Where gRPC listens, once started.</summary>
    public Uri GrpcAddress => new(App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Builds the host; <paramref name="configure"/> may add configuration or services (tests do).</summary>
    public static async Task<SiloHost> CreateAsync(string[] args, Action<WebApplicationBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        // Configuration files live beside the binary, so the silo runs the same from any folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var settings = builder.Configuration.GetSection(SiloSettings.Section).Get<SiloSettings>() ?? new SiloSettings();
        using var bootLoggers = LoggerFactory.Create(l => l.AddConfiguration(builder.Configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true));
        var bootLog = bootLoggers.CreateLogger<SiloHost>();

        EmbeddedPostgres? embedded = null;
        var connectionString = builder.Configuration.GetConnectionString("MemberGrains");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            // Relative to the working folder (`dotnet run --project src/MemberGrains.Silo` runs in the project folder).
            var directory = Path.GetFullPath(settings.EmbeddedPostgresDirectory);
            embedded = await EmbeddedPostgres.StartAsync(directory, "membergrains", bootLog, cancellationToken);
            connectionString = embedded.ConnectionString;
        }

        try
        {
            await SchemaMigrator.ApplyAsync(connectionString, bootLog, cancellationToken);
            Configure(builder, settings, connectionString);
            var app = builder.Build().MapMemberGrains();
            app.MapGrpcService<AdminService>();
            app.MapGrpcService<DiagnosticsService>();
            return new SiloHost(app, embedded, connectionString);
        }
        catch
        {
            if (embedded is not null)
            {
                await embedded.StopAsync();
            }

            throw;
        }
    }

    /// <summary>Starts Orleans and Kestrel.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await App.StartAsync(cancellationToken);
        _started = true;
        LogListening(App.Logger, GrpcAddress);
    }

    /// <summary>Stops gracefully: Orleans deactivates members, queued commits finish, then Postgres (if embedded) stops.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            // A host whose start failed (an invalid initial program, say) is not stopped: Orleans
            // refuses to stop a silo that never ran, and that error would hide the real one.
            if (_started && !App.Lifetime.ApplicationStopped.IsCancellationRequested)
            {
                await App.StopAsync();
            }
        }
        finally
        {
            await App.DisposeAsync();
            if (_embedded is not null)
            {
                await _embedded.StopAsync();
            }
        }
    }

    private static void Configure(WebApplicationBuilder builder, SiloSettings settings, string connectionString)
    {
        if (string.Equals(settings.LogFormat, "json", StringComparison.OrdinalIgnoreCase))
        {
            // One JSON object per line with the message template's named values, for log shippers.
            builder.Logging.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fff ";
                o.UseUtcTimestamp = true;
            });
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddMemberStore(connectionString);
        builder.Services.AddMemberGrainServices();
        // Registered before Orleans: hosted services start in order, so the programs are loaded
        // (and an empty database seeded) before the silo activates its first member.
        builder.Services.AddPostgresProgramCatalog(connectionString);

        builder.UseOrleans(silo =>
        {
            if (string.Equals(settings.Clustering, "AdoNet", StringComparison.OrdinalIgnoreCase))
            {
                silo.UseAdoNetClustering(o =>
                {
                    o.Invariant = AdoNetInvariant;
                    o.ConnectionString = connectionString;
                });
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = settings.ClusterId;
                    o.ServiceId = settings.ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Parse(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, null, settings.ServiceId, settings.ClusterId);
            }

            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(Math.Max(2, settings.MemberIdleMinutes)));
            silo.AddAdoNetGrainStorage(OrleansStorage, o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = AdoNetInvariant;
                o.ConnectionString = connectionString;
            });
        });

        // Registered after Orleans: it starts once the silo runs and stops before the silo does.
        builder.Services.AddOptions<SweeperOptions>().BindConfiguration(SweeperOptions.Section);
        builder.Services.AddSingleton<MemberSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MemberSweeper>());

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(settings.GrpcHost), settings.GrpcPort, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (!string.IsNullOrEmpty(settings.TlsCertificatePath))
            {
                listen.UseHttps(settings.TlsCertificatePath, settings.TlsCertificatePassword);
            }
        }));
        builder.Services.AddGrpc(o => o.Interceptors.Add<ErrorMappingInterceptor>());
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<PostgresHealthCheck>("postgres");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MemberGrains silo ready; gRPC (membergrains.v1.PointOfSale, membergrains.v1.Admin, membergrains.v1.Diagnostics) listening on {Address}")]
    private static partial void LogListening(ILogger logger, Uri address);
}
