using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using Spectre.Console;

namespace MemberGrains.LoadTests.Tests;

/// <summary>
/// A tiny whole run in the test process: 2,000 members enrolled in bulk, the silo hosted in-process,
/// every phase shortened (pgbench for a second), then verification. Checks the run's correctness,
/// not its speed: nothing lost or duplicated, balances equal to ledgers, every result named, the
/// store screens' figures (GetMemberView, screens watching checkouts) measured.
/// </summary>
public sealed class EndToEndTests
{
    [Fact]
    public async Task RunAsync_TinyRun_EveryFigurePresentAndTheLedgerClean()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("loadtest");
        var options = new RunOptions
        {
            Members = 2_000,
            ConnectionString = connectionString,
            ColdActivations = 200,
            ActivationConcurrency = 16,
            SingleClientCalls = 100,
            SaturationConcurrency = 8,
            SaturationDuration = TimeSpan.FromSeconds(1),
            AccrueConcurrency = [8],
            AccrueSaturationDuration = TimeSpan.FromSeconds(1),
            PgBenchClients = [4],
            PgBenchDuration = TimeSpan.FromSeconds(1),
            PgBenchBatchedClients = [2],
            HistoryMembers = 20,
            HistoryConcurrency = 8,
            ProfileDuration = TimeSpan.FromSeconds(6),
            PeakCheckoutsPerSecond = 60,
            PeakScreenViewsPerSecond = 60,
            Watchers = 40,
            WatchShare = 0.5,
            BalanceSample = 300,
            Connections = 2,
            CommandLine = "test",
        };
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
        var run = new LoadTestRun(options, new InProcessSiloLauncher(), new ConsoleProgress(console, interactive: false, TimeSpan.FromSeconds(5)), TimeProvider.System);

        await run.RunAsync(TestContext.Current.CancellationToken);

        var results = run.Results;
        Assert.True(results.Failures.Count == 0, string.Join("; ", results.Failures) + Environment.NewLine + output);
        Assert.Equal(0, results.Get("lost"));
        Assert.Equal(0, results.Get("duplicated"));
        Assert.Equal(0, results.Get("unacked_in_ledger"));
        Assert.Equal(0, results.Get("balance_mismatches"));
        Assert.Equal(0, results.Get("hold_ledger_rows"));
        Assert.True(results.Get("mutations_acknowledged") > 100, $"acknowledged {results.Get("mutations_acknowledged")}");
        Assert.All(RunResults.Required, name => Assert.True(results.Get(name) is { } v && !double.IsNaN(v), $"{name} is missing"));
        var lines = results.ResultLines().ToList();
        Assert.All(RunResults.Required, name => Assert.Contains(lines, l => l.StartsWith($"result {name} ", StringComparison.Ordinal)));
        Assert.Equal(2_000, results.Get("resident_members"));
        // The history members got their purchases (sent late) without an error; pgbench ran batched.
        Assert.Equal(0, results.Get("history_build_errors"));
        Assert.Equal(20, results.Get("history_members"));
        Assert.True(results.Get("pgbench_batched_tps") > 0, $"pgbench batched: {results.Get("pgbench_batched_tps")}");
        Assert.Equal(32, results.Get("pgbench_batch_size"));
        // The run made its own keys (pos, screen and admin) in its database and revoked them at the end.
        var db = new Db(connectionString);
        Assert.Equal(3, await db.ScalarAsync<long>("SELECT count(*) FROM api_key"));
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM api_key WHERE revoked_at IS NULL"));
        string[] screens =
        [
            "screen_view_tps_saturation", "screen_view_vs_ping_ratio", "quote_vs_read_ratio", "screen_view_p50_ms_c1",
            "member_ping_tps_saturation", "member_ping_vs_ping_ratio", "read_vs_member_ping_ratio", "silo_cpu_us_member_ping",
            "watch_update_p99_ms", "watch_update_p50_ms", "watch_errors", "watch_missed", "watch_updates", "watch_uncertain", "watch_sessions",
        ];
        Assert.All(screens, name => Assert.True(results.Get(name) is { } v && double.IsFinite(v), $"{name} is {results.Get(name)}"));
        Assert.All(screens, name => Assert.Contains(lines, l => l.StartsWith($"result {name} ", StringComparison.Ordinal)));
        Assert.True(results.Get("watch_updates") > 0, $"no accrual of a watched member was shown{Environment.NewLine}{output}");
        Assert.True(results.Get("peak_screen_views_per_s") > 0, $"no screen views at the peak{Environment.NewLine}{output}");

        var report = ReportMarkers.Replace(null, ReportWriter.Generate(options, run, DateTimeOffset.UnixEpoch, "benchmarks-peak.svg"));
        Assert.Contains("### Verification", report, StringComparison.Ordinal);
        Assert.Contains("### Baseline: pgbench", report, StringComparison.Ordinal);
        Assert.Contains("**accrue_vs_pgbench_batched_ratio**", report, StringComparison.Ordinal);
        Assert.Contains("**history50_vs_fresh_ratio**", report, StringComparison.Ordinal);
        Assert.Contains("result lost 0", report, StringComparison.Ordinal);
        Assert.Contains("Screens watching checkouts:", report, StringComparison.Ordinal);
        Assert.Contains("`watch_update_p99_ms`", report, StringComparison.Ordinal);
        Assert.Contains("**screen_view_vs_ping_ratio**", report, StringComparison.Ordinal);
        Assert.Contains("**member_ping_vs_ping_ratio**", report, StringComparison.Ordinal);
        Assert.Contains("| PingMember |", report, StringComparison.Ordinal);
        var svg = ChartWriter.Render(results.Series!);
        Assert.StartsWith("<?xml", svg, StringComparison.Ordinal);
        Assert.Contains("Accrue", svg, StringComparison.Ordinal);
    }
}
