using MemberGrains.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MemberGrains.LoadTests.Hosting;

/// <summary>
/// The Postgres of a run: the one the user named, or a throwaway embedded server in a temporary
/// folder (stopped and deleted at the end); the schema applied either way.
/// </summary>
internal sealed class RunDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres? _embedded;

    private RunDatabase(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    public bool Embedded => _embedded is not null;

    /// <summary>Where the Postgres binaries are (pgbench lives there too); null when unknown.</summary>
    public static string? BinDirectory
    {
        get
        {
            try
            {
                return EmbeddedPostgres.FindBinDirectory();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }
    }

    public static async Task<RunDatabase> OpenAsync(string? connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        EmbeddedPostgres? embedded = null;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            embedded = await EmbeddedPostgres.StartAsync(null, "membergrains", logger, cancellationToken);
            connectionString = embedded.ConnectionString;
        }

        try
        {
            // Room for the silo's pool, the verifier and pgbench's clients.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (!PersistenceServiceCollectionExtensions.SetsKeyword(connectionString, "Maximum Pool Size") && !PersistenceServiceCollectionExtensions.SetsKeyword(connectionString, "Max Pool Size"))
            {
                builder.MaxPoolSize = 100;
            }

            await SchemaMigrator.ApplyAsync(builder.ConnectionString, logger, cancellationToken);
            return new RunDatabase(builder.ConnectionString, embedded);
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

    /// <summary>Whether this run may stop and start the server (only a throwaway embedded one).</summary>
    public bool CanRestart => _embedded is not null;

    /// <summary>Stops the embedded server (<c>pg_ctl stop -m fast</c>), keeping its data, for <see cref="StartAgainAsync"/>.</summary>
    public Task StopServerAsync(CancellationToken cancellationToken) =>
        (_embedded ?? throw new InvalidOperationException("Only the run's own embedded PostgreSQL can be stopped.")).StopForRestartAsync(cancellationToken);

    /// <summary>Starts the embedded server stopped by <see cref="StopServerAsync"/> again, on the same port.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken) =>
        (_embedded ?? throw new InvalidOperationException("Only the run's own embedded PostgreSQL can be started.")).RestartAsync(cancellationToken);

    /// <summary>The server's version string (SHOW server_version).</summary>
    public async Task<string> ServerVersionAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
        {
            await _embedded.StopAsync();
        }
    }
}
