using System.Net;
using MemberGrains.Grains;
using MemberGrains.Persistence;
using MemberGrains.Silo.Auth;
using MemberGrains.Silo.Demo;
using MemberGrains.Silo.Grpc;
using MemberGrains.Silo.Screens;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Orleans.Configuration;

namespace MemberGrains.Silo;

/// <summary>
/// Builds the silo process: Orleans co-hosted with ASP.NET Core gRPC on Kestrel, the member
/// store and the published programs on Postgres (an embedded one when no connection string is
/// configured), the schema applied at start-up, an API key checked on every gRPC call (and demo
/// keys made on a fresh development database), and the sweeper that touches due members.
/// </summary>
public sealed partial class SiloHost : IAsyncDisposable
{
    /// <summary>Orleans ADO.NET invariant for Npgsql.</summary>
    public const string AdoNetInvariant = "Npgsql";

    /// <summary>Largest request message accepted (1 MiB): a program document is a few tens of KB, a basket of 200 lines a few KB.</summary>
    public const int MaxRequestBytes = 1024 * 1024;

    /// <summary>Name of the ADO.NET grain storage provider for grains other than members.</summary>
    public const string OrleansStorage = "orleans";

    /// <summary>Service key of the data source API keys are read through.</summary>
    public const string ApiKeyStoreSource = "api-keys";

    private readonly EmbeddedPostgres? _embedded;
    private readonly string? _demoKeys;
    private bool _started;

    private SiloHost(WebApplication app, EmbeddedPostgres? embedded, string connectionString, string? demoKeys)
    {
        App = app;
        _embedded = embedded;
        ConnectionString = connectionString;
        _demoKeys = demoKeys;
    }

    public WebApplication App { get; }

    /// <summary>The Postgres the silo uses.</summary>
    public string ConnectionString { get; }

    /// <summary>Where gRPC listens, once started.</summary>
    public Uri GrpcAddress => new(Addresses[0]);

    /// <summary>Where the store screen page and its HTTP API listen, once started (null when turned off).</summary>
    public Uri? HttpAddress => Addresses.Count > 1 ? new Uri(Addresses[1]) : null;

    private IReadOnlyList<string> Addresses => [.. App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];

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
            if (!(settings.EmbeddedPostgres ?? builder.Environment.IsDevelopment()))
            {
                throw new InvalidOperationException(
                    $"No database is configured (ConnectionStrings:MemberGrains, or the environment variable ConnectionStrings__MemberGrains) and the environment is {builder.Environment.EnvironmentName}. " +
                    "A silo starts its own local PostgreSQL only in Development or with MemberGrains:EmbeddedPostgres=true; a production silo needs the shared database.");
            }

            // Relative to the working folder (`dotnet run --project src/MemberGrains.Silo` runs in the project folder).
            var directory = Path.GetFullPath(settings.EmbeddedPostgresDirectory);
            embedded = await EmbeddedPostgres.StartAsync(directory, "membergrains", bootLog, cancellationToken);
            connectionString = embedded.ConnectionString;
        }

        try
        {
            await SchemaMigrator.ApplyAsync(connectionString, bootLog, cancellationToken);
            // A development silo on its own database makes keys to try the API with (DemoKeys).
            var development = embedded is not null && builder.Environment.IsDevelopment();
            var demoKeys = development
                ? await DemoKeys.EnsureAsync(connectionString, Path.GetDirectoryName(embedded!.DataDirectory)!, cancellationToken)
                : null;
            // ... and demo members to scan on the store screen (DemoMembers), under the same condition by default.
            Configure(builder, settings, connectionString, settings.DemoMembers ?? development);
            var app = builder.Build();
            app.UseDefaultFiles();
            app.UseStaticFiles();
            // Routing after the static files: otherwise the "/screen" redirect endpoint (which routing
            // also matches for "/screen/") is chosen first and the page is never served.
            app.UseRouting();
            app.MapMemberGrains();
            app.MapGrpcService<AdminService>();
            app.MapGrpcService<DiagnosticsService>();
            app.MapScreens();
            return new SiloHost(app, embedded, connectionString, demoKeys);
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

    /// <summary>
    /// Runs a silo until it is told to stop (SIGTERM, Ctrl+C); the process's exit code. Start-up
    /// problems a user can fix (no PostgreSQL binaries, database unreachable, an invalid initial
    /// program) are said plainly on stderr and give 1. <paramref name="whileRunning"/> may attach
    /// something to the started silo for as long as it runs.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, Func<SiloHost, IDisposable?>? whileRunning = null)
    {
        SiloHost silo;
        try
        {
            silo = await CreateAsync(args);
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException)
        {
            await Console.Error.WriteLineAsync($"MemberGrains could not start: {e.Message}");
            return 1;
        }

        await using (silo)
        {
            try
            {
                await silo.StartAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException)
            {
                await Console.Error.WriteLineAsync($"MemberGrains could not start: {e.Message}");
                return 1;
            }

            using var attached = whileRunning?.Invoke(silo);
            await silo.App.WaitForShutdownAsync();
        }

        return 0;
    }

    /// <summary>Starts Orleans and Kestrel.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await App.StartAsync(cancellationToken);
        _started = true;
        LogListening(App.Logger, GrpcAddress, HttpAddress is { } http ? new Uri(http, "/screen/").ToString() : "(off)");
        LogGarbageCollector(App.Logger, System.Runtime.GCSettings.IsServerGC ? "server" : "workstation", GcBudget.Describe());
        if (_demoKeys is not null)
        {
            // On stdout as it is, not through the logger: a block to copy keys from.
            Console.WriteLine(_demoKeys);
        }

        if (App.Services.GetService<DemoMembers>()?.Banner(HttpAddress is { } page ? new Uri(page, "/screen/") : null) is { } demoMembers)
        {
            Console.WriteLine(demoMembers);
        }
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

    private static void Configure(WebApplicationBuilder builder, SiloSettings settings, string connectionString, bool demoMembers)
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

        Logging.ImpossibleStallFilter.WrapProviders(builder.Services);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddMemberStore(connectionString);
        builder.Services.AddMemberGrainServices();
        // Registered before Orleans: hosted services start in order, so the programs are loaded
        // (and an empty database seeded) before the silo activates its first member.
        builder.Services.AddPostgresProgramCatalog(connectionString);
        if (demoMembers)
        {
            // After the programs (it plays the members' history with the published one), before
            // Orleans: the demo members are in Postgres before any of them can be activated.
            builder.Services.AddSingleton<DemoMembers>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<DemoMembers>());
        }

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
                silo.ConfigureEndpoints(AdvertisedAddress(settings.AdvertisedAddress), settings.SiloPort, settings.GatewayPort);
                silo.Configure<ClusterMembershipOptions>(o => ApplyMembership(o, settings.Membership));
                silo.Configure<GrainDirectoryOptions>(o => ApplyDirectory(o, settings.Membership));
                silo.Services.AddSingleton(settings);
                silo.Services.AddSingleton<SiloStatusReader>();
                silo.Services.AddSingleton<MembershipLease>();
                silo.Services.AddSingleton<IMemoryLease>(sp => sp.GetRequiredService<MembershipLease>());
                silo.Services.AddHostedService(sp => sp.GetRequiredService<MembershipLease>());
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, null, settings.ServiceId, settings.ClusterId);
            }

            ConfigureMemberCluster(silo);

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

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(settings.GrpcHost), settings.GrpcPort, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (!string.IsNullOrEmpty(settings.TlsCertificatePath))
                {
                    listen.UseHttps(settings.TlsCertificatePath, settings.TlsCertificatePassword);
                }
            });

            // Browsers (the store screen) speak HTTP/1.1 to a plain endpoint; gRPC needs HTTP/2 on its own.
            if (settings.HttpPort >= 0)
            {
                kestrel.Listen(IPAddress.Parse(settings.GrpcHost), settings.HttpPort, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    if (!string.IsNullOrEmpty(settings.TlsCertificatePath))
                    {
                        listen.UseHttps(settings.TlsCertificatePath, settings.TlsCertificatePassword);
                    }
                });
            }
        });
        builder.Services.AddSingleton(sp => new ScreenFeed(sp.GetRequiredService<IGrainFactory>(), TimeProvider.System, TimeSpan.FromSeconds(Math.Max(0.1, settings.Screens.HeartbeatSeconds))));
        builder.Services.AddSingleton(sp => new ClusterFaults(sp.GetRequiredService<ILogger<ClusterFaults>>()));
        // Key checks read Postgres through a small pool of their own: they never queue behind the
        // member store's group commits, nor take their connections.
        builder.Services.AddKeyedSingleton(ApiKeyStoreSource, (_, _) => NpgsqlDataSource.Create(
            new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 8, MinPoolSize = 0 }.ConnectionString));
        builder.Services.TryAddSingleton(sp => new ApiKeyStore(sp.GetRequiredKeyedService<NpgsqlDataSource>(ApiKeyStoreSource)));
        builder.Services.AddSingleton(settings.Auth);
        builder.Services.TryAddSingleton(sp => new ApiKeyAuthorizer(
            sp.GetRequiredService<ApiKeyStore>(),
            settings.Auth,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<ApiKeyAuthorizer>>()));
        builder.Services.AddSingleton<ApiKeyInterceptor>();
        builder.Services.AddGrpc(o =>
        {
            // First the key (a refused call reaches nothing else), then the error mapping.
            o.Interceptors.Add<ApiKeyInterceptor>();
            o.Interceptors.Add<ErrorMappingInterceptor>();
            // Bigger requests are RESOURCE_EXHAUSTED before they are read (the protos document it).
            o.MaxReceiveMessageSize = MaxRequestBytes;
        });
        ReadableRequestMethodProvider<object>.Register(builder.Services);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks().AddCheck<PostgresHealthCheck>("postgres");
    }

    /// <summary>
    /// What every silo hosting members needs whatever its clustering, test clusters included: the
    /// strongly consistent grain directory. The default directory is eventually consistent: while
    /// membership changes (a silo stopping or dying) it can briefly run a second activation of a
    /// member, loaded before the first one's last commit, and answer from that older state (a
    /// capture refused for a hold the other activation had just committed). This one hands its
    /// registrations over before a silo leaves and recovers them when one dies, so a member is
    /// active on at most one silo of the cluster at a time.
    /// </summary>
    public static ISiloBuilder ConfigureMemberCluster(ISiloBuilder silo)
    {
#pragma warning disable ORLEANSEXP003 // Experimental in Orleans 10; the grain directory it replaces is the cause of the stale reads above.
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        return silo;
    }

    /// <summary>Failure detection from <see cref="MembershipSettings"/>.</summary>
    public static void ApplyMembership(ClusterMembershipOptions options, MembershipSettings settings)
    {
        var probe = TimeSpan.FromSeconds(settings.ProbeSeconds);
        options.ProbeTimeout = probe;
        options.MinProbeTimeout = probe / 2;
        options.MaxProbeTimeout = probe;
        options.NumMissedProbesLimit = settings.MissedProbes;
        options.NumVotesForDeathDeclaration = settings.DeathVotes;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(settings.TableRefreshSeconds);
    }

    /// <summary>
    /// How long the grain directory keeps a crashed silo's members from activating elsewhere. Orleans
    /// starts the lease at the estimated failure (the declaration minus the failure-detection window,
    /// MaxProbeTimeout × missed probes) and defaults it to 30 s, so a killed silo's members stayed
    /// unreachable for about half a minute. Here it is the detection window plus the memory lease
    /// (and 0.1 s for scheduling): just long enough that a silo declared dead while still running
    /// has stopped answering reads from memory (<see cref="MembershipLease"/>). The lease ends
    /// (declaration − window) + window + memory lease + 0.1 s, after any read the dead silo could
    /// still answer: its last confirmation was sent before the declaration.
    /// </summary>
    public static void ApplyDirectory(GrainDirectoryOptions options, MembershipSettings settings)
    {
        var detection = TimeSpan.FromSeconds(settings.ProbeSeconds) * settings.MissedProbes;
        options.RangeLeaseDuration = detection + TimeSpan.FromSeconds(settings.MemoryLeaseSeconds) + TimeSpan.FromMilliseconds(100);
    }

    /// <summary>An IP address as given, or a host name's first IPv4 address.</summary>
    private static IPAddress AdvertisedAddress(string value)
    {
        if (IPAddress.TryParse(value, out var address))
        {
            return address;
        }

        var resolved = Dns.GetHostAddresses(value).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        return resolved ?? throw new InvalidOperationException($"MemberGrains:AdvertisedAddress '{value}' is neither an IP address nor a host name with an IPv4 address.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MemberGrains silo ready; gRPC (membergrains.v1.PointOfSale, StoreScreen, Admin, Diagnostics) listening on {Address}; store screen page on {Screen}")]
    private static partial void LogListening(ILogger logger, Uri address, string screen);

    [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collector: {Mode}; gen0 budget: {Gen0}")]
    private static partial void LogGarbageCollector(ILogger logger, string mode, string gen0);
}
