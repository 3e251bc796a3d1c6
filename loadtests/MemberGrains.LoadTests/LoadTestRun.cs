using System.Diagnostics;
using System.Globalization;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Phases;
using MemberGrains.LoadTests.Population;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemberGrains.LoadTests;

/// <summary>
/// One load-test run, phase by phase: Postgres, the population in bulk, the silo, cold activations,
/// all members resident, members with a purchase history, one caller, saturation, durable accrual saturation, the pgbench baseline,
/// the open-loop peak-day profile, verification; then the report and the result lines.
/// </summary>
internal sealed class LoadTestRun(RunOptions options, ISiloLauncher launcher, ConsoleProgress progress, TimeProvider time)
{
    public RunResults Results { get; } = new();

    /// <summary>Facts about the run for the report (machine, versions, population, ...).</summary>
    public Dictionary<string, string> Facts { get; } = new(StringComparer.Ordinal);

    /// <summary>Where the run's logs go.</summary>
    public string RunDirectory { get; private set; } = string.Empty;

    /// <summary>Runs every phase not skipped; phase failures are recorded in <see cref="Results"/>, not thrown.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var tag = RunTag();
        var root = RepositoryRoot.Find() ?? Environment.CurrentDirectory;
        RunDirectory = Path.Combine(root, "artifacts", "loadtests", $"{time.GetUtcNow():yyyyMMdd-HHmmss}-{tag}");
        Directory.CreateDirectory(RunDirectory);
        progress.Line($"Run {tag}; logs in {RunDirectory}");
        using var loggers = LoggerFactory.Create(l => l.AddProvider(NullLoggerProvider.Instance));
        var log = loggers.CreateLogger("loadtest");

        progress.Heading("Postgres");
        await using var database = await RunDatabase.OpenAsync(options.ConnectionString, log, cancellationToken);
        Facts["postgres"] = await database.ServerVersionAsync(cancellationToken);
        Facts["postgres_where"] = database.Embedded ? "embedded (throwaway, same machine)" : "given by --connection-string";
        progress.Line($"PostgreSQL {Facts["postgres"]}, {Facts["postgres_where"]}");
        var catalog = await ProgramSetup.LoadAsync(database.ConnectionString, options.SiloConfig, cancellationToken);
        var program = catalog.Current;
        Facts["program"] = program.ToString();

        UciPlan? uci = null;
        var memberCount = options.Members;
        if (options.Population == PopulationKind.Uci)
        {
            var path = UciFile.Locate(options.UciPath);
            progress.Line($"Reading {path} …");
            uci = UciPlan.Load(path, options.UciScale, options.PeakCheckoutsPerSecond);
            memberCount = uci.Members;
        }

        var members = new MemberDirectory(tag, memberCount, options.Seed);
        var enroller = new BulkEnroller(database.ConnectionString, members, catalog, time);
        await PopulateAsync(enroller, members, cancellationToken);

        progress.Heading("Silo");
        var zipf = new ZipfSampler(members.Count, options.ZipfExponent, options.Seed);
        // Keys before any traffic: a silo the run starts finds them in its database at its first call.
        var keys = options.SiloAddresses.Count > 0
            ? LoadKeys.Given(options.Key ?? throw new InvalidOperationException($"{ExternalSilos.OptionName} needs --key (or MEMBERGRAINS_KEY): an API key of scope admin."))
            : await LoadKeys.CreateAsync(database.ConnectionString, $"load test {tag}", cancellationToken);
        try
        {
            Facts["api_keys"] = keys.Description;
            progress.Line($"API keys: {keys.Description}");
            await RunSiloAsync(tag, database, keys, members, enroller, program, zipf, uci, cancellationToken);
        }
        finally
        {
            await keys.RevokeCreatedAsync(CancellationToken.None);
        }
    }

    /// <summary>The silo (started or given), then every phase against it with the run's keys.</summary>
    private async Task RunSiloAsync(string tag, RunDatabase database, LoadKeys keys, MemberDirectory members, BulkEnroller enroller, Domain.Rules.ProgramRules program, ZipfSampler zipf, UciPlan? uci, CancellationToken cancellationToken)
    {
        var launch = new SiloLaunch(database.ConnectionString, options.SiloConfig, $"lt-{tag}", RunDirectory);
        await using var silo = await launcher.StartAsync(launch, cancellationToken);
        Facts["silo"] = silo.Description;
        progress.Line($"Silo ready at {string.Join(", ", silo.GrpcAddresses)} ({silo.Description})");
        using var client = new LoadClient(silo.GrpcAddresses, options.Connections, options.CallDeadline, keys);
        await client.WarmUpAsync(cancellationToken);
        var baseline = await SiloStatsReader.ReadAsync(client, fullGc: true, cancellationToken);
        Facts["silo_gc"] = MachineInfo.Gc(baseline.ServerGc, baseline.GcGen0Size);

        var log2 = new MutationLog();
        var traffic = new Traffic(client, members, zipf, new MemberTracker(members.Count, program), new BasketMaker(program), program, log2, time);
        var run = new RunContext
        {
            Options = options,
            Progress = progress,
            Results = Results,
            Database = database,
            Traffic = traffic,
            RunDirectory = RunDirectory,
            Time = time,
            Activated = new bool[members.Count],
            TypicalStateJson = enroller.TypicalStateJson(0),
            Uci = uci,
        };
        Facts["members"] = members.Count.ToString("N0", CultureInfo.InvariantCulture);
        Facts["run_prefix"] = members.Prefix;

        await PhaseAsync(PhaseNames.Cold, "Cold activation latency", () => ColdActivationPhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.Activate, "Every member resident", () => ActivateAllPhase.RunAsync(run, baseline, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.History, "Members with a history of 50 purchases", () => HistoryPhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.SingleClient, "One caller", () => SingleClientPhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.Saturation, "Saturation: reads and the empty call", () => SaturationPhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.AccrueSaturation, "Saturation: durable Accrue", () => AccrueSaturationPhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.PgBench, "Baseline: pgbench", () => PgBenchPhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.Profile, "Peak-day profile", () => ProfilePhase.RunAsync(run, cancellationToken), cancellationToken);
        await PhaseAsync(PhaseNames.Verify, "Verification", () => VerificationPhase.RunAsync(run, cancellationToken), cancellationToken);

        var end = await SiloStatsReader.ReadAsync(client, fullGc: false, cancellationToken);
        Facts["silo_end"] = string.Create(CultureInfo.InvariantCulture, $"working set {end.WorkingSetBytes / 1048576.0:N0} MiB, GC heap {end.HeapSizeBytes / 1048576.0:N0} MiB, {end.Gen0Collections}/{end.Gen1Collections}/{end.Gen2Collections} gen0/1/2 collections, {end.TotalPauseMs:N0} ms paused, CPU {end.CpuTimeMs / 1000:N1} s");
        if (options.SiloAddresses.Count == 0)
        {
            progress.Line("Stopping the silo …");
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

    private async Task PopulateAsync(BulkEnroller enroller, MemberDirectory members, CancellationToken cancellationToken)
    {
        progress.Heading($"Population: {members.Count:N0} members");
        var meter = new PhaseMeter($"Enrolling {members.Count:N0} members in bulk (binary COPY)");
        var clock = Stopwatch.StartNew();
        meter.Status = () => string.Create(CultureInfo.InvariantCulture, $"{enroller.Enrolled:N0} of {members.Count:N0} members, {enroller.Enrolled / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0} members/s");
        meter.Start();
        await progress.RunAsync(meter, () => enroller.EnrollAsync(0, members.Count, Math.Max(2, Environment.ProcessorCount + 1), cancellationToken));
        meter.Stop();
        var rate = members.Count / clock.Elapsed.TotalSeconds;
        Results.Set("population_members_per_s", rate);
        progress.Line(string.Create(CultureInfo.InvariantCulture, $"{members.Count:N0} members enrolled in {clock.Elapsed.TotalSeconds:N1} s ({rate:N0} members/s)"));
        if (enroller.CheckpointSkipped)
        {
            progress.Line("No CHECKPOINT after the bulk load (the database user needs superuser or pg_checkpoint): the server may still be writing it out during the first phases.");
        }
        Results.Section(
            "Population",
            string.Create(CultureInfo.InvariantCulture, $"{members.Count:N0} members enrolled in bulk before the run in {clock.Elapsed.TotalSeconds:N1} s (**{rate:N0} members/s**): each member's state made by the domain (`MemberAccount.Enroll` under the active program: 100 welcome points), written as a version-1 `member` row with its due time, its `Enrollment` ledger row and its `enrolled` event, by binary COPY in chunks of {BulkEnroller.ChunkSize:N0}, several chunks at once. Member ids `{members.Prefix}m0000000` …; birthdays spread over the year (1950–2005), home stores spread over {members.StoreCount:N0} stores."));
    }

    private async Task PhaseAsync(string name, string title, Func<Task> phase, CancellationToken cancellationToken)
    {
        if (options.SkipNotes.TryGetValue(name, out var note))
        {
            progress.Line($"Skipping {title}: {note}");
            Results.Section(title, $"Skipped: {note}.\n");
            return;
        }

        if (!options.Runs(name))
        {
            progress.Line($"Skipping {title} (--skip {name})");
            return;
        }

        progress.Heading(title);
        try
        {
            await phase();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Results.Failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
            progress.Line($"Phase {name} failed: {e}");
        }
    }
}
