using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests use: the one named by <c>MEMBERGRAINS_TEST_PG</c> (a connection
/// string whose user may create databases), or else a throwaway embedded server started once for
/// this test run. Every fixture gets a fresh database with the schema applied.
/// </summary>
public static class SharedPostgres
{
    /// <summary>Environment variable naming an existing server to test against.</summary>
    public const string EnvironmentVariable = "MEMBERGRAINS_TEST_PG";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly System.Collections.Concurrent.ConcurrentBag<string> Created = [];
    private static string? _adminConnectionString;
    private static EmbeddedPostgres? _embedded;

    /// <summary>Creates an empty database with the MemberGrains schema (or without, as a fresh install has it) and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string purpose, bool applySchema = true)
    {
        var admin = await AdminConnectionStringAsync();
        var name = $"mg_{purpose}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
            Created.Add(name);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true }.ConnectionString;
        if (applySchema)
        {
            await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance);
        }

        return connectionString;
    }

    private static async Task<string> AdminConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_adminConnectionString is not null)
            {
                return _adminConnectionString;
            }

            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured))
            {
                _adminConnectionString = new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString;
                // Someone else's server: leave it as we found it.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DropCreatedDatabases(_adminConnectionString);
                return _adminConnectionString;
            }

            _embedded = await EmbeddedPostgres.StartAsync(null, "postgres", NullLogger.Instance);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _embedded.StopAsync().GetAwaiter().GetResult();
            _adminConnectionString = new NpgsqlConnectionStringBuilder(_embedded.ConnectionString) { Pooling = false }.ConnectionString;
            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void DropCreatedDatabases(string admin)
    {
        NpgsqlConnection.ClearAllPools();
        using var connection = new NpgsqlConnection(admin);
        connection.Open();
        foreach (var name in Created)
        {
            using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            drop.ExecuteNonQuery();
        }
    }
}
