using System.Globalization;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Population;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// One drills run: Postgres (throwaway or given), three silo child processes on AdoNet clustering,
/// the members enrolled through the API, then each drill in order — kill9, sigterm, postgres,
/// <see cref="DrillOptions.Rounds"/> times — while 24 retrying callers drive the members, each
/// followed by a quiet verification. Failures are recorded, not thrown.
/// </summary>
internal sealed class DrillRun(DrillOptions options, ConsoleProgress progress, TimeProvider time)
{
    /// <summary>The figures every run prints first (NaN when a drill did not run).</summary>
    public static readonly string[] Required =
    [
        "lost", "duplicated", "wrong_answers", "internal_errors", "failover_ms_p99", "sigterm_recovery_ms_p99",
        "postgres_recovery_ms_p99", "health_serving_ms_max", "acknowledged",
    ];

    /// <summary>Settings every drill silo gets before the user's <c>--silo-config</c>.</summary>
    public static readonly IReadOnlyList<string> SiloSettings =
    [
        "MemberGrains:Clustering=AdoNet",
        "MemberGrains:Sweeper:IntervalSeconds=0",
    ];

    public RunResults Results { get; } = new(Required);

    /// <summary>Facts about the run for the report (machine, versions, cluster …).</summary>
    public Dictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);

    /// <summary>The enrolment, then every drill in the order run.</summary>
    public List<DrillStats> Drills { get; } = [];

    /// <summary>Drills planned (rounds × drills).</summary>
    public int Planned => options.Rounds * options.Drills.Count;

    public string RunDirectory { get; private set; } = string.Empty;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tag = RunTag();
        var root = RepositoryRoot.Find() ?? Environment.CurrentDirectory;
        RunDirectory = Path.Combine(root, "artifacts", "drills", $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{tag}");
        Directory.CreateDirectory(RunDirectory);
        progress.Line($"Drills run {tag}; logs in {RunDirectory}");
        using var loggers = LoggerFactory.Create(l => l.AddProvider(NullLoggerProvider.Instance));

        progress.Heading("Postgres");
        await using var database = await RunDatabase.OpenAsync(options.ConnectionString, loggers.CreateLogger("drills"), cancellationToken);
        Facts["postgres"] = await database.ServerVersionAsync(cancellationToken);
        Facts["postgres_where"] = database.Embedded ? "embedded (throwaway, same machine), stopped and started by the postgres drill" : "given by --connection-string (the postgres drill is skipped: only a throwaway server is stopped)";
        progress.Line($"PostgreSQL {Facts["postgres"]}, {Facts["postgres_where"]}");
        var program = (await ProgramSetup.LoadAsync(database.ConnectionString, options.SiloConfig, cancellationToken)).Current;
        Facts["program"] = program.ToString();
        // The callers' keys, in the database before the silos start.
        var keys = await LoadKeys.CreateAsync(database.ConnectionString, $"drills {tag}", cancellationToken);
        try
        {
            progress.Line($"API keys: {keys.Description}");
            await RunClusterAsync(tag, database, keys, program, cancellationToken);
        }
        finally
        {
            await keys.RevokeCreatedAsync(CancellationToken.None);
        }
    }

    /// <summary>The three silos, the enrolment, then every drill in order.</summary>
    private async Task RunClusterAsync(string tag, RunDatabase database, LoadKeys keys, Domain.Rules.ProgramRules program, CancellationToken cancellationToken)
    {
        progress.Heading("Cluster");
        var clusterId = $"dr-{tag}";
        var launch = new SiloLaunch(database.ConnectionString, [.. SiloSettings, .. options.SiloConfig], clusterId, RunDirectory);
        await using var cluster = new SiloCluster(new ChildProcessSiloLauncher(), launch, SiloPorts.Distinct(3));
        await cluster.StartAllAsync(cancellationToken);
        for (var s = 0; s < cluster.Count; s++)
        {
            progress.Line($"{cluster.Describe(s)}: child process {cluster.ProcessId(s)}, log silo-{s + 1}.log");
        }

        Facts["cluster"] = $"3 silo child processes (this program in `silo` mode), AdoNet clustering, cluster and service id `{clusterId}`, loopback ports: {string.Join("; ", Enumerable.Range(0, cluster.Count).Select(cluster.Describe))}";
        using var clients = new DrillClients(cluster.Addresses, options.CallDeadline, keys);
        var load = new DrillLoad(tag, options, clients, program.TimeZone, time);
        Facts["members"] = string.Create(CultureInfo.InvariantCulture, $"{options.Members:N0} enrolled through EnrollMember, ids `{load.Prefix}m00000` …, driven by {load.Callers} callers (member i by caller i mod {load.Callers})");
        var env = new DrillEnvironment(options, database, cluster, clusterId, clients, load, progress);

        progress.Heading($"Enrolment: {options.Members:N0} members");
        var enrol = new DrillStats(DrillNames.Enrol, 0, options.Members);
        Drills.Add(enrol);
        await load.EnrolAsync(enrol, cancellationToken);
        enrol.Completed = true;
        await VerifyAsync(env, enrol, cancellationToken);
        Print(enrol);

        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var name in options.Drills)
            {
                var stats = new DrillStats(name, options.Rounds > 1 ? round : 0, options.Members) { CaptureElsewhere = name == DrillNames.Sigterm };
                Drills.Add(stats);
                progress.Heading($"Drill {stats.Label}");
                if (name == DrillNames.Postgres && !database.CanRestart)
                {
                    stats.Skipped = "Postgres was given by --connection-string, and only the run's own throwaway server is stopped";
                    progress.Line($"Skipped: {stats.Skipped}");
                    continue;
                }

                await RunDrillAsync(env, stats, round, cancellationToken);
                Print(stats);
            }
        }

        progress.Line("Stopping the cluster …");
    }

    private async Task RunDrillAsync(DrillEnvironment env, DrillStats stats, int round, CancellationToken cancellationToken)
    {
        var scan = new SiloLogScan(env.Cluster.LogPaths);
        try
        {
            await EnsureRunningAsync(env, cancellationToken);
            env.Load.Start(stats, cancellationToken);
            try
            {
                await (stats.Name switch
                {
                    DrillNames.Kill9 => DrillScenarios.Kill9Async(env, stats, round, cancellationToken),
                    DrillNames.Sigterm => DrillScenarios.SigtermAsync(env, stats, round, cancellationToken),
                    DrillNames.Postgres => DrillScenarios.PostgresAsync(env, stats, cancellationToken),
                    _ => throw new InvalidOperationException($"Unknown drill {stats.Name}."),
                });
                stats.Completed = true;
            }
            finally
            {
                progress.Line("  stopping the load for the verification …");
                await env.Load.StopAsync();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            stats.Failure = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
            progress.Line($"Drill {stats.Label} failed: {stats.Failure}");
            File.AppendAllText(Path.Combine(RunDirectory, "drills.txt"), $"# {stats.Label} failed{Environment.NewLine}{e}{Environment.NewLine}");
        }

        stats.ServerLog = scan.Count();
        await VerifyAsync(env, stats, cancellationToken);
    }

    /// <summary>Before a drill: Postgres up and every silo running (a failed drill may have left one down).</summary>
    private async Task EnsureRunningAsync(DrillEnvironment env, CancellationToken cancellationToken)
    {
        if (env.Database.CanRestart && await ClusterProbe.AllServingAsync(env.Clients, TimeSpan.FromSeconds(2), cancellationToken) is null)
        {
            try
            {
                await env.Database.StartAgainAsync(cancellationToken);
                progress.Line("PostgreSQL was down: started it again.");
            }
            catch (InvalidOperationException)
            {
                // Already running: the silos are what is down.
            }
        }

        for (var s = 0; s < env.Cluster.Count; s++)
        {
            if (!env.Cluster.IsRunning(s))
            {
                progress.Line($"{env.Cluster.Describe(s)} was down: starting it.");
                await env.Cluster.StartWithRetriesAsync(s, 3, (attempt, why) => progress.Line($"  attempt {attempt} failed: {why}"), cancellationToken);
            }
        }

        if (await ClusterProbe.AllServingAsync(env.Clients, options.RecoveryBound, cancellationToken) is null)
        {
            throw new InvalidOperationException("Not every silo is SERVING before the drill.");
        }
    }

    private async Task VerifyAsync(DrillEnvironment env, DrillStats stats, CancellationToken cancellationToken)
    {
        try
        {
            var expected = env.Load.Members.Where(m => !m.Uncertain).ToDictionary(m => m.Id, m => m.Balance, StringComparer.Ordinal);
            stats.Verification = await DrillVerifier.VerifyAsync(
                env.Database.ConnectionString,
                env.Load.Prefix,
                [.. stats.Records],
                expected,
                (members, ct) => ReadEverySiloAsync(env, members, ct),
                cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            stats.Failure = (stats.Failure is null ? string.Empty : stats.Failure + "; ") + $"verification: {e.GetType().Name}: {e.Message.Split('\n')[0]}";
            progress.Line($"Verification of {stats.Label} failed: {e.Message.Split('\n')[0]}");
            File.AppendAllText(Path.Combine(RunDirectory, "drills.txt"), $"# {stats.Label} verification failed{Environment.NewLine}{e}{Environment.NewLine}");
        }
    }

    /// <summary>GetMember of every member through every running silo (memory = Postgres), each read retried on the same silo a few times.</summary>
    private static async Task<IReadOnlyList<MemoryReading>> ReadEverySiloAsync(DrillEnvironment env, IReadOnlyList<string> members, CancellationToken cancellationToken)
    {
        var readings = new System.Collections.Concurrent.ConcurrentBag<MemoryReading>();
        var work = Enumerable.Range(0, env.Cluster.Count).Where(env.Cluster.IsRunning).SelectMany(s => members.Select(m => (Silo: s, Member: m))).ToList();
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var silo = $"silo {item.Silo + 1}";
            string? error = null;
            for (var attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    var member = await env.Clients.Pos(item.Silo).GetMemberAsync(new Protos.V1.GetMemberRequest { MemberId = item.Member }, env.Clients.Options(ct));
                    readings.Add(new MemoryReading(item.Member, silo, member.Balance, null));
                    return;
                }
                catch (Grpc.Core.RpcException e) when (!ct.IsCancellationRequested)
                {
                    error = $"{e.StatusCode}: {e.Status.Detail}";
                    await Task.Delay(200 * (attempt + 1), ct);
                }
            }

            readings.Add(new MemoryReading(item.Member, silo, null, error));
        });
        return [.. readings];
    }

    private void Print(DrillStats stats)
    {
        var v = stats.Verification;
        var figures = DrillFigures.Of(stats);
        progress.Line(string.Create(CultureInfo.InvariantCulture, $"{stats.Label}: {(stats.Completed ? "completed" : "NOT completed")}; acknowledged {stats.Acknowledged:N0} (replayed {stats.Replayed:N0}), gave up {stats.GaveUp:N0}, wrong answers {stats.WrongAnswers:N0}, INTERNAL/UNKNOWN {stats.InternalErrors:N0}; lost {(v is null ? "?" : v.Lost.ToString(CultureInfo.InvariantCulture))}, duplicated {(v is null ? "?" : v.Duplicated.ToString(CultureInfo.InvariantCulture))}"));
        if (stats.Name != DrillNames.Enrol)
        {
            progress.Line(string.Create(CultureInfo.InvariantCulture, $"  affected members {figures.Affected} (unrecovered {figures.Unrecovered}){(figures.Affected == 0 ? string.Empty : $": answered again after p50 {figures.P50:N0} / p99 {figures.P99:N0} / max {figures.Max:N0} ms")}{(figures.HealthServingMs is { } h ? $"; every silo SERVING after {h:N0} ms" : string.Empty)}"));
            if (figures.RestartOutages.Count > 0)
            {
                progress.Line(string.Create(CultureInfo.InvariantCulture, $"  after the restart: {figures.RestartOutages.Count} member(s) failed, each for up to {figures.RestartOutages.Max():N0} ms"));
            }
        }

        progress.Line("  status codes: " + string.Join(", ", stats.Codes.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value:N0}"))));
        foreach (var wrong in stats.WrongAnswerExamples.Take(5))
        {
            progress.Line($"  wrong answer: {wrong.Operation} {wrong.RequestId} of {wrong.MemberId}: {wrong.Code} \"{wrong.Message}\" (attempt {wrong.Attempt}, {wrong.Silo})");
        }

        foreach (var (message, count) in stats.FailureMessages.Where(kv => kv.Key.StartsWith("Internal", StringComparison.Ordinal) || kv.Key.StartsWith("Unknown", StringComparison.Ordinal)).OrderByDescending(kv => kv.Value).Take(5))
        {
            progress.Line(string.Create(CultureInfo.InvariantCulture, $"  {count:N0} x {message}"));
        }

        foreach (var (what, count) in stats.ServerLog.OrderByDescending(kv => kv.Value))
        {
            progress.Line(string.Create(CultureInfo.InvariantCulture, $"  silo logs: {count:N0} x {what}"));
        }

        foreach (var example in v?.Examples.Take(10) ?? [])
        {
            progress.Line($"  {example}");
        }

        if (stats.Failure is not null)
        {
            progress.Line($"  FAILED: {stats.Failure}");
        }

        WriteDetails(stats);
    }

    /// <summary>Every wrong answer example and failure message of the drill, in the run folder.</summary>
    private void WriteDetails(DrillStats stats)
    {
        var lines = new List<string> { $"# {stats.Label}" };
        lines.AddRange(stats.WrongAnswerExamples.Select(w => $"wrong answer: {w.Operation} {w.RequestId} of {w.MemberId}: {w.Code} \"{w.Message}\" (attempt {w.Attempt}, {w.Silo})"));
        lines.AddRange(stats.FailureMessages.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Value} x {kv.Key}")));
        lines.AddRange(stats.ServerLog.OrderByDescending(kv => kv.Value).Select(kv => string.Create(CultureInfo.InvariantCulture, $"silo logs: {kv.Value} x {kv.Key}")));
        lines.AddRange(stats.Verification?.Examples ?? []);
        File.AppendAllLines(Path.Combine(RunDirectory, "drills.txt"), lines);
    }

    /// <summary>The result figures over every drill run so far, and a failure for each drill not completed; call once, after <see cref="RunAsync"/>.</summary>
    public void Summarise()
    {
        foreach (var (name, value) in DrillFigures.Totals(Drills, Planned))
        {
            Results.Set(name, value);
        }

        foreach (var stats in Drills.Where(d => d.Skipped is null && (!d.Completed || d.Failure is not null)))
        {
            Results.Failures.Add($"{stats.Label}: {stats.Failure ?? "not completed"}");
        }
    }

    private static string RunTag()
    {
        // Letters only: never a hex-looking id, and short.
        const string letters = "ghjkmnpqrstvwxyz";
        return string.Create(4, Random.Shared, (span, random) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = letters[random.Next(letters.Length)];
            }
        });
    }
}
