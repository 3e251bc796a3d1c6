using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 7: durable Accrue, closed loop, at each configured concurrency; the best throughput and its p99.</summary>
internal static class AccrueSaturationPhase
{
    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var traffic = run.Traffic;
        var duration = run.Options.AccrueSaturationDuration;
        var rows = new List<LatencySummary>();
        var costs = new List<CpuCost>();
        foreach (var c in run.Options.AccrueConcurrency)
        {
            var meter = new PhaseMeter($"Accrue, closed loop, {c} callers, {duration.TotalSeconds:0} s", Ops.Accrue);
            var before = await CpuSample.TakeAsync(traffic.Client, cancellationToken);
            meter.Start();
            await run.Progress.RunAsync(meter, () => ClosedLoop.ForAsync(c, duration, (rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.AccrueAsync(meter[Ops.Accrue], member, traffic.StoreFor(member, rnd), Traffic.TillFor(rnd), traffic.Baskets.Next(rnd), s, ct);
            }, cancellationToken));
            meter.Stop();
            var after = await CpuSample.TakeAsync(traffic.Client, cancellationToken);
            run.Progress.Summarise(meter);
            var row = meter.Summary(Ops.Accrue) with { Operation = string.Create(CultureInfo.InvariantCulture, $"Accrue c={c}") };
            rows.Add(row);
            costs.Add(CpuCost.Between(row.Operation, row.Calls, before, after));
        }

        var best = rows.MaxBy(r => r.PerSecond)!;
        run.Results.Set("accrue_tps_saturation", best.PerSecond);
        run.Results.Set("accrue_p99_ms_saturation", best.P99Ms);
        var bestCost = costs[rows.IndexOf(best)];
        run.Results.Set("silo_cpu_us_accrue", bestCost.SiloUs);
        run.Results.Set("generator_cpu_us_accrue", bestCost.GeneratorUs);
        if (bestCost.RestUs is { } rest)
        {
            run.Results.Set("rest_cpu_us_accrue", rest);
        }
        run.Results.Section(
            "Saturation: durable Accrue",
            string.Create(CultureInfo.InvariantCulture, $"Closed loop, {duration.TotalSeconds:0} s per concurrency, warm members with Zipf popularity, generated baskets (1–6 lines). Each call is answered after its commit in Postgres. Best: **{best.PerSecond:N0} accruals/s** ({best.Operation}), p99 {best.P99Ms:0.000} ms.\n\n")
            + Markdown.Latencies(rows, "concurrency")
            + "\n" + CpuCost.Table(costs));
    }
}
