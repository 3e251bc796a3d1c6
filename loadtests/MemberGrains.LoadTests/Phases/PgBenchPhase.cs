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
/// what a plain service writing each change in its own transaction could do on this machine; that
/// transaction with one client (the latency floor of a durable write done the plain way); and
/// pgbench running the member store's own batched statements (<see cref="PgBenchBatchedScript"/>),
/// the ceiling of the store's write path on this machine.
/// </summary>
internal static class PgBenchPhase
{
    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var status = "starting";
        var meter = new PhaseMeter($"pgbench, 1, {string.Join(" and ", options.PgBenchClients)} clients; batched ({options.PgBenchBatchSize} members per transaction) {string.Join(" and ", options.PgBenchBatchedClients)} clients; {options.PgBenchDuration.TotalSeconds:0} s each")
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
                RunDatabase.BinDirectory)
            {
                SingleClient = true,
                BatchSize = options.PgBenchBatchSize,
                BatchEvents = options.PgBenchBatchSize / 2,
                BatchedClients = options.PgBenchBatchedClients,
            },
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

        if (result.SingleClient is { } single)
        {
            run.Results.Set("pgbench_p50_ms_c1", single.LatencyP50Ms);
            run.Results.Set("pgbench_tps_c1", single.TransactionsPerSecond);
            Ratios.Set(run.Results, "accrue_c1_vs_pgbench_c1_ratio", "accrue_p50_ms_c1", "pgbench_p50_ms_c1");
        }

        if (result.Batched is { Best: { } batchedBest } batched)
        {
            run.Results.Set("pgbench_batched_tps", batched.MemberChangesPerSecond);
            run.Results.Set("pgbench_batched_p50_ms", batchedBest.LatencyP50Ms);
            run.Results.Set("pgbench_batch_size", batched.BatchSize);
            Ratios.Set(run.Results, "accrue_vs_pgbench_batched_ratio", "accrue_tps_saturation", "pgbench_batched_tps");
        }

        var text = new StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"pgbench on the same server, keys {(result.ZipfExponentUsed == 0 ? $"uniform (our run's Zipf exponent {run.Options.ZipfExponent:0.###} is below the 1.001 pgbench's `random_zipfian` accepts; uniform keys are pgbench's best case, with the fewest waits on a hot row)" : $"Zipf-skewed with exponent {result.ZipfExponentUsed:0.###}")}, over {run.Traffic.Members.Count:N0} throwaway `bench_member` rows holding a freshly enrolled member's core state JSON (fill factor 80, as the member table's), each transaction the durable write of one accrual done the plain way: update the member row, insert a ledger row, commit. Script:"));
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

        if (result.SingleClient is { } one)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"The same script with **one client** (`{one.CommandLine.Replace(run.RunDirectory, "<run folder>", StringComparison.Ordinal)}`): {one.Transactions:N0} transactions, {one.TransactionsPerSecond:N1} tx/s; latency from pgbench's per-transaction log (`-l`, one line per transaction): p50 **{one.LatencyP50Ms:0.000} ms** (`pgbench_p50_ms_c1`), p99 {one.LatencyP99Ms:0.000} ms, average {one.LatencyAverageMs:0.000} ms (pgbench's own summary)."));
            if (run.Results.Get("accrue_c1_vs_pgbench_c1_ratio") is { } c1Ratio)
            {
                text.AppendLine();
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**accrue_c1_vs_pgbench_c1_ratio** = accrue_p50_ms_c1 / pgbench_p50_ms_c1 = {run.Results.Get("accrue_p50_ms_c1"):0.000} / {one.LatencyP50Ms:0.000} = **{c1Ratio:0.000}** (an Accrue is a gRPC call through the grain and the store's group commit; the pgbench transaction is three statements on a direct connection)."));
            }
        }

        if (result.Batched is { } b)
        {
            text.AppendLine();
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**Batched, the member store's statement shape.** One transaction holds {b.BatchSize} member changes written as the member store's group commit writes a batch (`MemberStore`): set-based statements over `unnest` of arrays, sent as one message (pgbench's `\\;`, simple protocol) that PostgreSQL runs as one implicit transaction, committed in the same round trip — as for an Accrue since schema 0008: an UPDATE of the {b.BatchSize} member rows (version, balance, tier, updated_at, the core state document of {b.StateBytes:N0} bytes — a freshly enrolled member's —, due_at, state_format = 2; `bench_member` has the member table's fill factor 80) guarded by version with a count check that fails the transaction on a shortfall, an INSERT of {b.BatchSize} ledger rows, an INSERT of {b.Events} events (half the changes: first purchases are common at saturation over a fresh population), and an UPSERT (`ON CONFLICT … DO UPDATE`) of {2 * b.BatchSize} rows into `bench_member_part` (shaped like `member_part`: same key, fill factor 90, `forget_at` with its partial index — null for the lot, the end of the refund window for the purchase): per member a new lot ({b.LotBytes:N0} bytes of JSON) and a new purchase with its lines and receipt ({b.PurchaseBytes:N0} bytes), real domain objects serialised as the store does, under keys new in each transaction, so inserts as in an Accrue (the store's DELETE of gone parts, rare in an Accrue — parts forgotten by time are deleted by the sweeper, not by a change — is left out). {b.BatchSize} members per transaction is about the store's batch at saturation (64–256 callers over its 2 writers). Each client writes only members of its own (as each member's writes go to one writer in the store), {b.BatchSize} distinct ones per transaction drawn uniformly; pgbench keeps no per-member state, so the version guard is a lower bound (`m.version >= u.expected`, always true) and sequence numbers come from sequences; `bench_ledger`, `bench_event` and `bench_member_part` have no foreign key to `bench_member`, the ledger no `occurred_at` index (the real tables have both), and `bench_member_part` starts each run empty (the real one holds every member's parts), so pgbench does a little less work per change than the store. The script, shown for {Math.Min(b.BatchSize, 3)} members (the run used {b.BatchSize}):"));
            text.AppendLine();
            text.AppendLine("```sql");
            text.AppendLine(b.Script.TrimEnd());
            text.AppendLine("```");
            text.AppendLine();
            if (b.Runs.Count > 0)
            {
                text.AppendLine(Markdown.Table(
                    ["clients", "threads", "tx/s", "member changes/s", "transactions", "failed", "avg ms", "p50 ms", "p99 ms", "max ms"],
                    b.Runs.Select(r => (IReadOnlyList<string>)
                    [
                        Markdown.N(r.Clients), Markdown.N(r.Threads), Markdown.N(r.TransactionsPerSecond, "N1"), Markdown.N(PgBenchBatchedResult.MemberChanges(r.TransactionsPerSecond, b.BatchSize), "N0"),
                        Markdown.N(r.Transactions), Markdown.N(r.Failed), Markdown.Ms(r.LatencyAverageMs), Markdown.Ms(r.LatencyP50Ms), Markdown.Ms(r.LatencyP99Ms), Markdown.Ms(r.LatencyMaxMs),
                    ])));
                foreach (var r in b.Runs)
                {
                    text.AppendLine($"- `{r.CommandLine.Replace(run.RunDirectory, "<run folder>", StringComparison.Ordinal)}`");
                }
            }

            if (b.SkippedClients.Count > 0)
            {
                text.AppendLine();
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Left out: {string.Join(", ", b.SkippedClients)} clients ({run.Traffic.Members.Count:N0} members are too few for each client to have {b.BatchSize} of its own)."));
            }

            if (run.Results.Get("accrue_vs_pgbench_batched_ratio") is { } batchedRatio)
            {
                text.AppendLine();
                text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**pgbench_batched_tps** = best tx/s × {b.BatchSize} = **{b.MemberChangesPerSecond:N0} member changes/s**; **accrue_vs_pgbench_batched_ratio** = accrue_tps_saturation / pgbench_batched_tps = {run.Results.Get("accrue_tps_saturation"):N0} / {b.MemberChangesPerSecond:N0} = **{batchedRatio:0.000}**."));
            }
        }

        run.Results.Section("Baseline: pgbench", text.ToString());
    }
}
