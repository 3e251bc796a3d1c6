using System.Globalization;
using System.Text;
using MemberGrains.LoadTests.Baselines;
using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;

namespace MemberGrains.LoadTests.Phases;

/// <summary>
/// Phase 8: pgbench running the equivalent durable transaction (update the member row + insert a
/// ledger row, one commit) on the same Postgres, same key skew, rows as wide as a real member's:
/// what a plain service writing each change in its own transaction could do on this machine.
/// </summary>
internal static class PgBenchPhase
{
    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var status = "starting";
        var meter = new PhaseMeter($"pgbench, {string.Join(" and ", options.PgBenchClients)} clients, {options.PgBenchDuration.TotalSeconds:0} s each")
        {
            Status = () => status,
        };
        var progress = new Progress<string>(message =>
        {
            status = message;
            run.Progress.Line(message);
        });
        meter.Start();
        var result = await run.Progress.RunAsync(meter, () => PgBench.RunAsync(
            new PgBenchOptions(
                run.Database.ConnectionString,
                run.Traffic.Members.Count,
                options.ZipfExponent,
                run.TypicalStateJson,
                options.PgBenchClients,
                options.PgBenchDuration,
                run.RunDirectory,
                RunDatabase.BinDirectory),
            progress,
            cancellationToken));
        meter.Stop();

        var best = result.Best;
        run.Results.Set("pgbench_tps", best.TransactionsPerSecond);
        run.Results.Set("pgbench_p99_ms", best.LatencyP99Ms);
        if (run.Results.Get("accrue_tps_saturation") is { } accrue && best.TransactionsPerSecond > 0)
        {
            run.Results.Set("accrue_vs_pgbench_ratio", accrue / best.TransactionsPerSecond);
        }

        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"pgbench on the same server, keys {(result.ZipfExponentUsed == 0 ? $"uniform (our run's Zipf exponent {run.Options.ZipfExponent:0.###} is below the 1.001 pgbench's `random_zipfian` accepts; uniform keys are pgbench's best case, with the fewest waits on a hot row)" : $"Zipf-skewed with exponent {result.ZipfExponentUsed:0.###}")}, over {run.Traffic.Members.Count:N0} throwaway `bench_member` rows holding a freshly enrolled member's state JSON, each transaction the durable write of one accrual done the plain way: update the member row, insert a ledger row, commit. Script:"));
        text.AppendLine();
        text.AppendLine("```sql");
        text.AppendLine(result.Script.TrimEnd());
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine(Markdown.Table(
            ["clients", "threads", "tx/s", "transactions", "failed", "avg ms", "p50 ms", "p99 ms", "max ms"],
            result.Runs.Select(r => (IReadOnlyList<string>)
            [
                Markdown.N(r.Clients), Markdown.N(r.Threads), Markdown.N(r.TransactionsPerSecond, "N1"), Markdown.N(r.Transactions), Markdown.N(r.Failed),
                Markdown.Ms(r.LatencyAverageMs), Markdown.Ms(r.LatencyP50Ms), Markdown.Ms(r.LatencyP99Ms), Markdown.Ms(r.LatencyMaxMs),
            ])));
        text.AppendLine("Commands (the script and logs were in a temporary folder, deleted afterwards):");
        text.AppendLine();
        foreach (var r in result.Runs)
        {
            text.AppendLine($"- `{r.CommandLine.Replace(run.RunDirectory, "<run folder>", StringComparison.Ordinal)}`");
        }

        if (run.Results.Get("accrue_vs_pgbench_ratio") is { } ratio)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**accrue_vs_pgbench_ratio** = accrue_tps_saturation / pgbench_tps = {run.Results.Get("accrue_tps_saturation"):N0} / {best.TransactionsPerSecond:N0} = **{ratio:0.000}**."));
        }

        run.Results.Section("Baseline: pgbench", text.ToString());
    }
}
