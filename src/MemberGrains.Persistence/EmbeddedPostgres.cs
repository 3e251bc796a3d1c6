using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>
/// A private PostgreSQL server for development and tests, run from the machine's PostgreSQL
/// binaries: <c>initdb</c> once into a data folder, then <c>pg_ctl</c> on a free loopback port with
/// unix sockets off. As root it runs the server as the <c>postgres</c> user (initdb refuses root).
/// Trust authentication on 127.0.0.1 only: this is never a production database.
/// </summary>
public sealed partial class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private readonly string _binDirectory;
    private readonly string _dataDirectory;
    private readonly bool _deleteOnStop;
    private readonly ILogger _logger;
    private bool _stopped;

    private EmbeddedPostgres(string binDirectory, string dataDirectory, int port, string database, bool deleteOnStop, ILogger logger)
    {
        _binDirectory = binDirectory;
        _dataDirectory = dataDirectory;
        _deleteOnStop = deleteOnStop;
        _logger = logger;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = SuperUser,
            Database = database,
        }.ConnectionString;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Connection string of the project database on this server.</summary>
    public string ConnectionString { get; }

    /// <summary>The data folder.</summary>
    public string DataDirectory => _dataDirectory;

    /// <summary>
    /// Starts a server. <paramref name="dataDirectory"/> null means a new temporary folder that is
    /// deleted on stop; an existing folder is reused (its data kept).
    /// </summary>
    public static async Task<EmbeddedPostgres> StartAsync(string? dataDirectory, string database, ILogger logger, CancellationToken cancellationToken = default)
    {
        var bin = FindBinDirectory();
        var temporary = dataDirectory is null;
        var dir = Path.GetFullPath(dataDirectory ?? Path.Combine(Path.GetTempPath(), $"membergrains-pg-{Guid.NewGuid():N}"));
        var runAsPostgres = IsRoot();
        Directory.CreateDirectory(dir);
        if (runAsPostgres)
        {
            await RunAsync("chown", ["-R", $"{SuperUser}:{SuperUser}", dir], false, cancellationToken).ConfigureAwait(false);
            await RunAsync("chmod", ["700", dir], false, cancellationToken).ConfigureAwait(false);
        }

        if (!File.Exists(Path.Combine(dir, "PG_VERSION")))
        {
            LogInitDb(logger, dir, bin);
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", dir, "-U", SuperUser, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"], runAsPostgres, cancellationToken)
                .ConfigureAwait(false);
            // Loopback TCP only; no unix socket (its default folder needs root to create).
            await File.AppendAllTextAsync(
                Path.Combine(dir, "postgresql.conf"),
                "\n# MemberGrains embedded server\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\nmax_connections = 200\nshared_buffers = 128MB\n",
                cancellationToken).ConfigureAwait(false);
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var port = FreePort();
            var server = new EmbeddedPostgres(bin, dir, port, database, temporary, logger);
            try
            {
                await RunAsync(
                    Path.Combine(bin, "pg_ctl"),
                    ["-D", dir, "-l", Path.Combine(dir, "server.log"), "-o", $"-p {port}", "-w", "-t", "60", "start"],
                    runAsPostgres,
                    cancellationToken).ConfigureAwait(false);
                await server.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false);
                LogStarted(logger, port, dir);
                return server;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely the port was taken between probing and binding: try another.
                last = ex;
                LogStartRetry(logger, port, ex.Message);
            }
        }

        throw new InvalidOperationException($"Could not start PostgreSQL in {dir}; see {Path.Combine(dir, "server.log")}.", last);
    }

    /// <summary>Stops the server (fast shutdown) and removes a temporary data folder.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], IsRoot(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            LogStopFailed(_logger, ex.Message);
        }

        if (_deleteOnStop)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    /// <summary>Stops the server immediately, as a crash would (<c>pg_ctl -m immediate</c>); it can be started again.</summary>
    public async Task KillAsync()
    {
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], IsRoot(), CancellationToken.None).ConfigureAwait(false);
        // Pooled connections to the dead server are useless; don't hand them out after a restart.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>
    /// Stops the server as an operator would (<c>pg_ctl -m fast</c>: sessions ended, a clean
    /// checkpoint) and keeps its data; <see cref="RestartAsync"/> starts it again.
    /// </summary>
    public async Task StopForRestartAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "fast", "-w", "stop"], IsRoot(), cancellationToken).ConfigureAwait(false);
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts a server stopped by <see cref="KillAsync"/> or <see cref="StopForRestartAsync"/> again on the same port.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await RunAsync(
            Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", _dataDirectory, "-l", Path.Combine(_dataDirectory, "server.log"), "-o", $"-p {Port}", "-w", "-t", "60", "start"],
            IsRoot(),
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>
    /// Finds the PostgreSQL server binaries: <c>MEMBERGRAINS_PG_BIN</c>, then the newest
    /// <c>/usr/lib/postgresql/*/bin</c> (Debian), then <c>initdb</c> on PATH.
    /// </summary>
    public static string FindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("MEMBERGRAINS_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var newest = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => File.Exists(Path.Combine(d.Dir, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Dir)
                .FirstOrDefault();
            if (newest is not null)
            {
                return newest;
            }
        }

        foreach (var entry in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (entry.Length > 0 && File.Exists(Path.Combine(entry, "initdb")))
            {
                return entry;
            }
        }

        throw new InvalidOperationException(
            "No PostgreSQL server binaries found (initdb, pg_ctl). Install the PostgreSQL server package " +
            "(Debian: apt-get install postgresql), set MEMBERGRAINS_PG_BIN to its bin folder, or configure ConnectionStrings:MemberGrains.");
    }

    private async Task CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false };
        var database = new NpgsqlConnectionStringBuilder(ConnectionString).Database!;
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsRoot() => OperatingSystem.IsLinux() && GetEffectiveUserId() == 0;

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgresUser, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            FileName = asPostgresUser ? "runuser" : program,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgresUser)
        {
            foreach (var a in new[] { "-u", SuperUser, "--", program })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        // pg_ctl's server inherits nothing of ours: its output goes to server.log, so these reads end.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stderr.ConfigureAwait(false)}{await stdout.ConfigureAwait(false)}");
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating an embedded PostgreSQL data folder in {Directory} with {BinDirectory}")]
    private static partial void LogInitDb(ILogger logger, string directory, string binDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded PostgreSQL listening on 127.0.0.1:{Port}, data in {Directory}")]
    private static partial void LogStarted(ILogger logger, int port, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedded PostgreSQL did not start on port {Port}, retrying: {Reason}")]
    private static partial void LogStartRetry(ILogger logger, int port, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping embedded PostgreSQL failed: {Reason}")]
    private static partial void LogStopFailed(ILogger logger, string reason);
}
