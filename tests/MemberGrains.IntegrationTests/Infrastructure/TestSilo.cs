using System.Globalization;
using MemberGrains.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// Starts the real silo host (Kestrel + Orleans) on a test database: gRPC, silo and gateway on
/// free loopback ports, and a cluster id of its own unless the caller names one. An empty
/// database is seeded with the flat test program (or the shipped default program when asked);
/// the sweeper is off unless the settings turn it on, so it never touches members behind a test.
/// </summary>
public static class TestSilo
{
    public static async Task<SiloHost> StartAsync(
        string connectionString,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool defaultProgram = false)
    {
        var cluster = $"test-{Guid.NewGuid():N}";
        var configuration = new Dictionary<string, string?>
        {
            ["ConnectionStrings:MemberGrains"] = connectionString,
            ["MemberGrains:GrpcHost"] = "127.0.0.1",
            ["MemberGrains:GrpcPort"] = "0",
            ["MemberGrains:HttpPort"] = "0",
            ["MemberGrains:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MemberGrains:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MemberGrains:ClusterId"] = cluster,
            ["MemberGrains:ServiceId"] = cluster,
            ["Logging:LogLevel:Default"] = "Warning",
            ["MemberGrains:Program:InitialDocumentPath"] = defaultProgram ? string.Empty : TestPrograms.FlatPath,
            ["MemberGrains:Sweeper:IntervalSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var host = await SiloHost.CreateAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            services?.Invoke(builder.Services);
        });
        try
        {
            await host.StartAsync();
            // Orleans' ADO.NET providers (and Db) pool connections by connection string, outside the
            // silo's data sources (which the host disposes): without this, those idle connections
            // outlive the silo and fill the shared test server ("too many clients").
            host.App.Lifetime.ApplicationStopped.Register(() => ClearPool(connectionString));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            ClearPool(connectionString);
            throw;
        }
    }

    private static void ClearPool(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }
}
