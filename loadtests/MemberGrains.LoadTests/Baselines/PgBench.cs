using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.LoadTests.Baselines;

/// <summary>
/// What the pgbench baseline runs against and how long: the same server and key skew as the load
/// test, one run per client count.
/// </summary>
/// <param name="ConnectionString">Npgsql connection string of the database to bench in (Host, Port, Username, Password, Database).</param>
/// <param name="Members">Rows in <c>bench_member</c>; keys are drawn from 1..Members.</param>
/// <param name="ZipfExponent">Key skew. pgbench's <c>random_zipfian</c> takes 1.001..1000, so the value is clamped into that range.</param>
/// <param name="StateJson">A typical member's core state document (<c>member.state</c> since schema 0008), stored in every row so the row width matches the real member table.</param>
/// <param name="Clients">One run per client count.</param>
/// <param name="DurationPerRun">Length of each run (pgbench <c>-T</c>, whole seconds, at least one).</param>
/// <param name="WorkDirectory">Folder for the script and the per-transaction logs; they are deleted at the end.</param>
/// <param name="BinDirectory">Folder holding <c>pgbench</c>; null finds it like <see cref="EmbeddedPostgres.FindBinDirectory"/>.</param>
public sealed record PgBenchOptions(
    string ConnectionString,
    int Members,
    double ZipfExponent,
    string StateJson,
    IReadOnlyList<int> Clients,
    TimeSpan DurationPerRun,
    string WorkDirectory,
    string? BinDirectory = null)
{
    /// <summary>Also run the plain script with one client (its latency is the floor of a durable write done the plain way).</summary>
    public bool SingleClient { get; init; }

    /// <summary>Members per transaction of the batched script (<see cref="PgBenchBatchedScript"/>); 0: no batched runs.</summary>
    public int BatchSize { get; init; }

    /// <summary>Members of a batched transaction that also get an event row (at most <see cref="BatchSize"/>).</summary>
    public int BatchEvents { get; init; }

    /// <summary>One batched run per client count (counts whose clients can't each have <see cref="BatchSize"/> members of their own are left out).</summary>
    public IReadOnlyList<int> BatchedClients { get; init; } = [];
}

/// <summary>
/// One pgbench run. <see cref="Seconds"/> is pgbench's own measuring interval (transactions / tps,
/// connection set-up excluded); the latency percentiles come from its per-transaction log.
/// </summary>
public sealed record PgBenchRun(
    int Clients,
    int Threads,
    double Seconds,
    long Transactions,
    long Failed,
    double TransactionsPerSecond,
    double LatencyAverageMs,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    string CommandLine);

/// <summary>The baseline's outcome: the skew actually used, the transaction script, and each run.</summary>
public sealed record PgBenchResult(double ZipfExponentUsed, string Script, IReadOnlyList<PgBenchRun> Runs)
{
    /// <summary>The run with the highest throughput.</summary>
    public PgBenchRun Best => Runs.MaxBy(r => r.TransactionsPerSecond) ?? throw new InvalidOperationException("The result has no runs.");

    /// <summary>The plain script with one client, when asked for (<see cref="PgBenchOptions.SingleClient"/>).</summary>
    public PgBenchRun? SingleClient { get; init; }

    /// <summary>The batched script's runs, when asked for (<see cref="PgBenchOptions.BatchSize"/>).</summary>
    public PgBenchBatchedResult? Batched { get; init; }
}

/// <summary>
/// The batched baseline: <see cref="BatchSize"/> member changes per transaction in the member
/// store's statement shape (<see cref="PgBenchBatchedScript"/>). <see cref="Script"/> is the
/// report's abbreviated copy; <see cref="SkippedClients"/> the client counts left out (too few members).
/// </summary>
public sealed record PgBenchBatchedResult(int BatchSize, int Events, int StateBytes, string Script, IReadOnlyList<PgBenchRun> Runs, IReadOnlyList<int> SkippedClients)
{
    /// <summary>Size of each new lot part the script writes (JSON bytes).</summary>
    public int LotBytes { get; init; }

    /// <summary>Size of each new purchase part the script writes (JSON bytes).</summary>
    public int PurchaseBytes { get; init; }

    /// <summary>The run with the most transactions per second, or null when none ran.</summary>
    public PgBenchRun? Best => Runs.MaxBy(r => r.TransactionsPerSecond);

    /// <summary>Member changes per second of the best run: its transactions per second × <see cref="BatchSize"/>.</summary>
    public double MemberChangesPerSecond => Best is { } best ? MemberChanges(best.TransactionsPerSecond, BatchSize) : double.NaN;

    /// <summary>Member changes per second of a run of <paramref name="batchSize"/> members per transaction.</summary>
    public static double MemberChanges(double transactionsPerSecond, int batchSize) => transactionsPerSecond * batchSize;
}

/// <summary>
/// The "plain service over Postgres" ceiling: pgbench running the durable transaction a member
/// write amounts to (update the member row, append a ledger row, commit) on throwaway
/// <c>bench_member</c> / <c>bench_ledger</c> tables, with Zipf-distributed member keys.
/// </summary>
public static partial class PgBench
{
    private const double MinZipf = 1.001;
    private const double MaxZipf = 1000;

    // The new balance comes back through \gset so the ledger row carries it, as ours does.
    // Simple query mode (pgbench's default) substitutes :id and :balance as literal text.
    private const string ScriptText =
        """
        \set id KEY
        BEGIN;
        UPDATE bench_member SET version = version + 1, balance = balance + 12, updated_at = now() WHERE member_id = 'b' || :id RETURNING balance \gset
        INSERT INTO bench_ledger (member_id, request_id, kind, points, balance_after, occurred_at) VALUES ('b' || :id, gen_random_uuid()::text, 'Earn', 12, :balance, now());
        END;

        """;

    public static async Task<PgBenchResult> RunAsync(PgBenchOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        // random_zipfian takes 1.001..1000. A milder skew than that is run with uniform keys:
        // pgbench's best case (the fewest waits on a hot row), so the comparison never flatters us.
        var zipf = options.ZipfExponent < MinZipf ? 0 : Math.Min(options.ZipfExponent, MaxZipf);
        if (zipf != options.ZipfExponent)
        {
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"pgbench: Zipf exponent {options.ZipfExponent} is outside random_zipfian's range (1.001..1000); using {(zipf == 0 ? "uniform keys" : zipf.ToString(CultureInfo.InvariantCulture))}"));
        }

        var keyExpression = zipf == 0 ? "random(1, :members)" : "random_zipfian(1, :members, :s)";

        var pgbench = Path.Combine(options.BinDirectory ?? EmbeddedPostgres.FindBinDirectory(), "pgbench");
        if (!File.Exists(pgbench))
        {
            throw new InvalidOperationException($"pgbench not found at {pgbench}; it comes with the PostgreSQL server binaries (Debian: the postgresql package).");
        }

        var connection = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var seconds = Math.Max(1, (int)Math.Round(options.DurationPerRun.TotalSeconds));

        // A folder of our own, so log files of an earlier or concurrent run are never read as ours.
        var work = Path.Combine(Path.GetFullPath(options.WorkDirectory), $"pgbench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        var scriptPath = Path.Combine(work, "member_earn.sql");
        await File.WriteAllTextAsync(scriptPath, ScriptText.Replace("KEY", keyExpression, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);

        var runs = new List<PgBenchRun>();
        PgBenchRun? single = null;
        PgBenchBatchedResult? batched = null;
        try
        {
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"pgbench: creating bench_member with {options.Members} rows, bench_ledger, bench_event and bench_member_part"));
            await CreateTablesAsync(options, cancellationToken).ConfigureAwait(false);

            string[] plainVariables = [$"members={Invariant(options.Members)}", $"s={zipf.ToString("R", CultureInfo.InvariantCulture)}"];
            if (options.SingleClient)
            {
                single = await RunOnceAsync(pgbench, connection, work, scriptPath, "c", 1, seconds, plainVariables, progress, cancellationToken).ConfigureAwait(false);
            }

            foreach (var clients in options.Clients)
            {
                runs.Add(await RunOnceAsync(pgbench, connection, work, scriptPath, "c", clients, seconds, plainVariables, progress, cancellationToken).ConfigureAwait(false));
            }

            if (options.BatchSize > 0)
            {
                batched = await RunBatchedAsync(options, pgbench, connection, work, seconds, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await DropTablesAsync(options.ConnectionString).ConfigureAwait(false);
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
            catch (UnauthorizedAccessException)
            {
                // Likewise.
            }
        }

        return new PgBenchResult(zipf, ScriptText.Replace("KEY", keyExpression, StringComparison.Ordinal), runs) { SingleClient = single, Batched = batched };
    }

    /// <summary>The client counts of <paramref name="clients"/> (in order, once each) for which every client can have <paramref name="batchSize"/> members of its own, and the others.</summary>
    public static (IReadOnlyList<int> Fitting, IReadOnlyList<int> Skipped) FitBatchedClients(int members, int batchSize, IReadOnlyList<int> clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        var distinct = clients.Distinct().ToList();
        return ([.. distinct.Where(c => PgBenchBatchedScript.Fits(members, c, batchSize))], [.. distinct.Where(c => !PgBenchBatchedScript.Fits(members, c, batchSize))]);
    }

    private static async Task<PgBenchBatchedResult> RunBatchedAsync(PgBenchOptions options, string pgbench, NpgsqlConnectionStringBuilder connection, string work, int seconds, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var k = options.BatchSize;
        var events = Math.Clamp(options.BatchEvents, 0, k);
        var scriptPath = Path.Combine(work, "member_batch.sql");
        await File.WriteAllTextAsync(scriptPath, PgBenchBatchedScript.Text(k, events, options.StateJson), cancellationToken).ConfigureAwait(false);
        var (fitting, skipped) = FitBatchedClients(options.Members, k, options.BatchedClients);
        foreach (var clients in skipped)
        {
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"pgbench batched c={clients}: skipped, {options.Members} members are too few for {clients} clients with {k} members of their own each"));
        }

        var runs = new List<PgBenchRun>();
        foreach (var clients in fitting)
        {
            string[] variables = [$"{PgBenchBatchedScript.MembersVariable}={Invariant(options.Members)}", $"{PgBenchBatchedScript.ClientsVariable}={Invariant(clients)}"];
            var run = await RunOnceAsync(pgbench, connection, work, scriptPath, "batch_c", clients, seconds, variables, progress, cancellationToken).ConfigureAwait(false);
            runs.Add(run);
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"pgbench batched c={clients}: {PgBenchBatchedResult.MemberChanges(run.TransactionsPerSecond, k):F0} member changes/s ({k} per transaction)"));
        }

        var stateBytes = System.Text.Encoding.UTF8.GetByteCount(options.StateJson);
        return new PgBenchBatchedResult(k, events, stateBytes, PgBenchBatchedScript.Display(Math.Min(k, 3), Math.Min(events, 1), stateBytes), runs, skipped)
        {
            LotBytes = PgBenchBatchedScript.Bytes(PgBenchBatchedScript.LotJson(0)),
            PurchaseBytes = PgBenchBatchedScript.Bytes(PgBenchBatchedScript.PurchaseJson(0)),
        };
    }

    private static async Task<PgBenchRun> RunOnceAsync(
        string pgbench,
        NpgsqlConnectionStringBuilder connection,
        string work,
        string scriptPath,
        string label,
        int clients,
        int seconds,
        IReadOnlyList<string> variables,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        await PrepareRunAsync(connection.ConnectionString, cancellationToken).ConfigureAwait(false);
        var threads = Math.Min(clients, Environment.ProcessorCount);
        var logPrefix = Path.Combine(work, string.Create(CultureInfo.InvariantCulture, $"pgbench_{label}{clients}"));
        var arguments = new List<string>
        {
            "-n", "-f", scriptPath,
            "-c", Invariant(clients), "-j", Invariant(threads), "-T", Invariant(seconds),
        };
        foreach (var variable in variables)
        {
            arguments.Add("-D");
            arguments.Add(variable);
        }

        arguments.AddRange(["-l", "--log-prefix", logPrefix]);
        AddConnectionArguments(arguments, connection);
        var commandLine = string.Join(' ', new[] { pgbench }.Concat(arguments).Select(Quote));

        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"pgbench {Path.GetFileName(scriptPath)} c={clients} j={threads} T={seconds}s: running"));
        var (stdout, stderr) = await RunPgBenchAsync(pgbench, arguments, connection.Password, cancellationToken).ConfigureAwait(false);
        var run = ParseRun(stdout, stderr, clients, threads, commandLine, TakeLatenciesMicroseconds(work, Path.GetFileName(logPrefix)));
        progress?.Report(string.Create(
            CultureInfo.InvariantCulture,
            $"pgbench {Path.GetFileName(scriptPath)} c={clients} j={run.Threads}: {run.TransactionsPerSecond:F0} tps, {run.Transactions} tx, {run.Failed} failed, avg {run.LatencyAverageMs:F2} ms, p50 {run.LatencyP50Ms:F2} ms, p99 {run.LatencyP99Ms:F2} ms, max {run.LatencyMaxMs:F2} ms"));
        return run;
    }

    private static void Validate(PgBenchOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(options.ConnectionString, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.WorkDirectory, nameof(options));
        ArgumentNullException.ThrowIfNull(options.StateJson, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Clients, nameof(options));
        if (options.Members < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Members, "Members must be at least 1.");
        }

        if (!double.IsFinite(options.ZipfExponent))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ZipfExponent, "ZipfExponent must be a finite number.");
        }

        if (options.Clients.Count == 0 || options.Clients.Any(c => c < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Clients must hold at least one count, each at least 1.");
        }

        if (options.BatchSize < 0 || options.BatchEvents < 0 || options.BatchedClients is null || options.BatchedClients.Any(c => c < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BatchSize and BatchEvents must not be negative, and BatchedClients must hold counts of at least 1.");
        }

        if (options.DurationPerRun < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.DurationPerRun, "DurationPerRun must be at least one second.");
        }
    }

    private static async Task CreateTablesAsync(PgBenchOptions options, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "DROP TABLE IF EXISTS bench_member_part, bench_event, bench_ledger, bench_member", cancellationToken).ConfigureAwait(false);
        // tier, due_at and state_format are set only by the batched script (as the member store
        // sets them); the plain script leaves them alone. None is indexed here. Fill factor 80 as
        // the member table's since schema 0008 (room on the page for HOT updates).
        await ExecuteAsync(
            connection,
            """
            CREATE TABLE bench_member (
                member_id  text        PRIMARY KEY,
                version    bigint      NOT NULL,
                balance    bigint      NOT NULL,
                updated_at timestamptz NOT NULL,
                state      jsonb       NOT NULL,
                tier       text        NULL,
                due_at     timestamptz NULL,
                state_format smallint  NOT NULL DEFAULT 2
            ) WITH (fillfactor = 80)
            """,
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            """
            CREATE TABLE bench_ledger (
                member_id     text,
                seq           bigserial,
                request_id    text,
                kind          text,
                points        bigint,
                balance_after bigint,
                occurred_at   timestamptz,
                program_version integer,
                store_id      text,
                terminal_id   text,
                offer_id      text,
                PRIMARY KEY (member_id, seq)
            )
            """,
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE INDEX bench_ledger_by_request ON bench_ledger (member_id, request_id)", cancellationToken).ConfigureAwait(false);

        // The batched script's outbox, shaped like member_event (its indexes, the writing transaction's id).
        await ExecuteAsync(
            connection,
            """
            CREATE TABLE bench_event (
                id              bigserial   PRIMARY KEY,
                tx              xid8        NOT NULL DEFAULT pg_current_xact_id(),
                member_id       text        NOT NULL,
                seq             bigserial,
                kind            text        NOT NULL,
                program_version integer     NOT NULL,
                data            jsonb       NOT NULL,
                occurred_at     timestamptz NOT NULL,
                recorded_at     timestamptz NOT NULL DEFAULT now(),
                UNIQUE (member_id, seq)
            )
            """,
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE INDEX bench_event_by_tx ON bench_event (tx, id)", cancellationToken).ConfigureAwait(false);

        // The batched script's member parts, shaped like member_part (schema 0008: its key, check and
        // fill factor; 0009: forget_at and its partial index).
        await ExecuteAsync(
            connection,
            """
            CREATE TABLE bench_member_part (
                member_id text  NOT NULL,
                kind      text  NOT NULL CHECK (kind IN ('lot', 'hold', 'purchase', 'request')),
                key       text  NOT NULL,
                data      jsonb NOT NULL,
                forget_at timestamptz,
                PRIMARY KEY (member_id, kind, key)
            ) WITH (fillfactor = 90)
            """,
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE INDEX bench_member_part_forget_at ON bench_member_part (forget_at) WHERE forget_at IS NOT NULL", cancellationToken).ConfigureAwait(false);

        // The batched script's count check, as member_expect_written: a shortfall fails the transaction.
        await ExecuteAsync(
            connection,
            """
            CREATE OR REPLACE FUNCTION bench_expect_written(expected integer, written bigint) RETURNS bigint
            LANGUAGE plpgsql AS $$
            BEGIN
                IF written <> expected THEN
                    RAISE EXCEPTION 'bench: % of % member rows not written', expected - written, expected;
                END IF;
                RETURN written;
            END
            $$
            """,
            cancellationToken).ConfigureAwait(false);

        await using (var fill = new NpgsqlCommand(
            """
            INSERT INTO bench_member (member_id, version, balance, updated_at, state)
            SELECT 'b' || n, 1, 0, now(), @state::jsonb FROM generate_series(1, @members) AS n
            """,
            connection))
        {
            fill.CommandTimeout = 0;
            fill.Parameters.AddWithValue("state", options.StateJson);
            fill.Parameters.AddWithValue("members", options.Members);
            await fill.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, "VACUUM ANALYZE bench_member", cancellationToken).ConfigureAwait(false);
    }

    // Every run starts from the same state: an empty ledger, outbox and part table, a vacuumed member table, and no
    // checkpoint debt from the load or the previous run landing inside the measured interval.
    private static async Task PrepareRunAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "TRUNCATE bench_ledger, bench_event, bench_member_part", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "VACUUM ANALYZE bench_member, bench_ledger, bench_event, bench_member_part", cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, "CHECKPOINT", cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // Needs superuser or pg_checkpoint; without it the runs are only a little noisier.
        }
    }

    private static async Task DropTablesAsync(string connectionString)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            await ExecuteAsync(connection, "DROP TABLE IF EXISTS bench_member_part, bench_event, bench_ledger, bench_member", CancellationToken.None).ConfigureAwait(false);
            await ExecuteAsync(connection, "DROP FUNCTION IF EXISTS bench_expect_written(integer, bigint)", CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // Cleanup must not hide the failure that got us here; the next run drops them first anyway.
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddConnectionArguments(List<string> arguments, NpgsqlConnectionStringBuilder connection)
    {
        if (!string.IsNullOrEmpty(connection.Host))
        {
            arguments.Add("-h");
            arguments.Add(connection.Host);
        }

        arguments.Add("-p");
        arguments.Add(Invariant(connection.Port));
        if (!string.IsNullOrEmpty(connection.Username))
        {
            arguments.Add("-U");
            arguments.Add(connection.Username);
        }

        if (!string.IsNullOrEmpty(connection.Database))
        {
            arguments.Add(connection.Database);
        }
    }

    private static async Task<(string Stdout, string Stderr)> RunPgBenchAsync(string pgbench, List<string> arguments, string? password, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            FileName = pgbench,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(password))
        {
            info.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {pgbench}.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench exited with {process.ExitCode}: {errors.Trim()}");
        }

        return (output, errors);
    }

    /// <summary>
    /// A run from pgbench's summary (<paramref name="stdout"/>: tps, transactions, failed, average
    /// latency, threads) and the per-transaction latencies of its <c>-l</c> log (the percentiles).
    /// </summary>
    internal static PgBenchRun ParseRun(string stdout, string stderr, int clients, int threads, string commandLine, List<long> latenciesMicroseconds)
    {
        // pgbench 15 says "(without initial connection time)"; 13 and older "(excluding connections establishing)".
        var tps = TpsRegex().Match(stdout);
        var processed = ProcessedRegex().Match(stdout);
        var average = LatencyAverageRegex().Match(stdout);
        if (!tps.Success || !processed.Success || !average.Success)
        {
            throw new InvalidOperationException($"Could not read pgbench's summary. stdout: {stdout.Trim()} stderr: {stderr.Trim()}");
        }

        var failed = FailedRegex().Match(stdout);
        var usedThreads = ThreadsRegex().Match(stdout);
        var transactionsPerSecond = ParseDouble(tps.Groups[1].Value);
        var transactions = long.Parse(processed.Groups[1].Value, CultureInfo.InvariantCulture);
        if (latenciesMicroseconds.Count == 0 && transactions > 0)
        {
            throw new InvalidOperationException($"pgbench processed {transactions} transactions but wrote no per-transaction log. stderr: {stderr.Trim()}");
        }

        latenciesMicroseconds.Sort();
        return new PgBenchRun(
            clients,
            usedThreads.Success ? int.Parse(usedThreads.Groups[1].Value, CultureInfo.InvariantCulture) : threads,
            transactionsPerSecond > 0 ? transactions / transactionsPerSecond : 0,
            transactions,
            failed.Success ? long.Parse(failed.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            transactionsPerSecond,
            ParseDouble(average.Groups[1].Value),
            Percentile(latenciesMicroseconds, 0.50),
            Percentile(latenciesMicroseconds, 0.99),
            latenciesMicroseconds.Count == 0 ? double.NaN : latenciesMicroseconds[^1] / 1000.0,
            commandLine);
    }

    // -l writes one file per thread: <prefix>.<pid> for the first, <prefix>.<pid>.<n> for the others.
    // A line is "client_id transaction_no time script_no time_epoch time_us [...]", time being the
    // transaction's latency in microseconds, or "failed" / "skipped" instead. The files are deleted
    // once read, so a client count listed twice does not read the first run's logs again.
    private static List<long> TakeLatenciesMicroseconds(string directory, string prefix)
    {
        var latencies = new List<long>();
        foreach (var file in Directory.GetFiles(directory, prefix + ".*"))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (LogLineLatencyMicroseconds(line) is { } microseconds)
                {
                    latencies.Add(microseconds);
                }
            }

            File.Delete(file);
        }

        return latencies;
    }

    /// <summary>The latency in microseconds of one line of pgbench's <c>-l</c> log (its third field); null for a failed or skipped transaction or anything else.</summary>
    internal static long? LogLineLatencyMicroseconds(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) ? microseconds : null;
    }

    // Nearest-rank percentile of sorted microsecond values, in milliseconds.
    internal static double Percentile(List<long> sorted, double fraction)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(fraction * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)] / 1000.0;
    }

    private static double ParseDouble(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string argument)
    {
        if (argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '\\' or '$' or '`'))
        {
            return argument;
        }

        var quoted = new StringBuilder("'");
        quoted.Append(argument.Replace("'", "'\\''", StringComparison.Ordinal));
        return quoted.Append('\'').ToString();
    }

    [GeneratedRegex(@"^tps = ([0-9.]+) \((?:without initial connection time|excluding connections establishing)\)", RegexOptions.Multiline)]
    private static partial Regex TpsRegex();

    [GeneratedRegex(@"^number of transactions actually processed: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ProcessedRegex();

    [GeneratedRegex(@"^number of failed transactions: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex FailedRegex();

    [GeneratedRegex(@"^latency average = ([0-9.]+) ms", RegexOptions.Multiline)]
    private static partial Regex LatencyAverageRegex();

    [GeneratedRegex(@"^number of threads: ([0-9]+)", RegexOptions.Multiline)]
    private static partial Regex ThreadsRegex();
}
