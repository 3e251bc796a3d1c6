using System.Text.RegularExpressions;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.Persistence;
using Spectre.Console;

namespace MemberGrains.LoadTests.Tests;

/// <summary>
/// A tiny run with <c>--silo-address</c> against a silo the test started itself (in-process): the
/// run enrols into that silo's database, drives it over gRPC only, verifies the ledger, skips
/// pgbench with its note, and leaves the silo running.
/// </summary>
public sealed class ExternalSiloRunTests
{
    [Fact]
    public async Task RunAsync_RunningSilo_DrivenOverGrpcLedgerCleanSiloLeftRunning()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var connectionString = await SharedPostgres.CreateDatabaseAsync("external");
        var siloFolder = Directory.CreateTempSubdirectory("membergrains-external-silo-");
        try
        {
            await using var silo = await new InProcessSiloLauncher().StartAsync(
                new SiloLaunch(connectionString, [], $"ext-{Guid.NewGuid():N}", siloFolder.FullName),
                cancellationToken);
            // The operator's key: the run creates none in a database whose silos it does not own.
            var key = await TestKeys.CreateAsync(connectionString, ApiKeyScope.Admin, "external run");
            var options = ExternalSilos.Adjust(
                new RunOptions
                {
                    Members = 500,
                    ConnectionString = connectionString,
                    SiloAddresses = [silo.GrpcAddress],
                    Key = key,
                    Skip = new HashSet<string>([PhaseNames.History, PhaseNames.SingleClient, PhaseNames.Saturation, PhaseNames.AccrueSaturation], StringComparer.OrdinalIgnoreCase),
                    ColdActivations = 50,
                    ActivationConcurrency = 8,
                    ProfileDuration = TimeSpan.FromSeconds(4),
                    PeakCheckoutsPerSecond = 40,
                    PeakScreenViewsPerSecond = 40,
                    BalanceSample = 100,
                    Connections = 2,
                    CommandLine = "test",
                },
                pgBenchAvailable: false);
            var output = new StringWriter();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No, Ansi = AnsiSupport.No });
            var run = new LoadTestRun(options, ExternalSilos.Launcher(options), new ConsoleProgress(console, interactive: false, TimeSpan.FromSeconds(5)), TimeProvider.System);

            await run.RunAsync(cancellationToken);

            var results = run.Results;
            Assert.True(results.Failures.Count == 0, string.Join("; ", results.Failures) + Environment.NewLine + output);
            Assert.Equal(0, results.Get("lost"));
            Assert.Equal(0, results.Get("duplicated"));
            Assert.Equal(0, results.Get("unacked_in_ledger"));
            Assert.Equal(0, results.Get("balance_mismatches"));
            Assert.Equal(500, results.Get("resident_members"));
            Assert.True(results.Get("mutations_acknowledged") > 0, $"acknowledged {results.Get("mutations_acknowledged")}{Environment.NewLine}{output}");
            Assert.Null(results.Get("pgbench_tps"));
            // The console wraps long lines at 80 columns.
            Assert.Contains($"Skipping Baseline: pgbench: {ExternalSilos.PgBenchNote}", Regex.Replace(output.ToString(), @"\s+", " "), StringComparison.Ordinal);
            Assert.Contains(results.Sections, s => s.Title == "Baseline: pgbench" && s.Markdown.Contains(ExternalSilos.PgBenchNote, StringComparison.Ordinal));
            Assert.Contains("--silo-address", run.Facts["silo"], StringComparison.Ordinal);
            Assert.Contains(key[4..20], run.Facts["api_keys"], StringComparison.Ordinal);
            Assert.Equal(1, await new Db(connectionString).ScalarAsync<long>("SELECT count(*) FROM api_key"));

            // Not the run's silo to stop: it still answers SERVING.
            await SiloReadiness.WaitAsync(silo.GrpcAddress, () => null, TimeSpan.FromSeconds(10), cancellationToken);
        }
        finally
        {
            siloFolder.Delete(recursive: true);
        }
    }
}
