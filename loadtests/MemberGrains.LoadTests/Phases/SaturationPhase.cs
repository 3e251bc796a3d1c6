using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 6: closed loop at concurrency 64: the empty call, GetMember and QuoteCheckout; reads against the transport ceiling.</summary>
internal static class SaturationPhase
{
    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var traffic = run.Traffic;
        var c = run.Options.SaturationConcurrency;
        var duration = run.Options.SaturationDuration;
        var summaries = new List<LatencySummary>();
        (string Op, Func<OpRecorder, Random, long, CancellationToken, Task> Call)[] steps =
        [
            (Ops.Ping, (r, _, s, ct) => traffic.PingAsync(r, s, ct)),
            (Ops.GetMember, (r, rnd, s, ct) => traffic.GetMemberAsync(r, traffic.Popularity.Next(rnd), s, ct)),
            (Ops.Quote, (r, rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.QuoteAsync(r, member, traffic.StoreFor(member, rnd), traffic.Baskets.Next(rnd), s, ct);
            }),
        ];
        foreach (var (op, call) in steps)
        {
            var meter = new PhaseMeter($"{op}, closed loop, {c} callers, {duration.TotalSeconds:0} s", op);
            meter.Start();
            await run.Progress.RunAsync(meter, () => ClosedLoop.ForAsync(c, duration, (rnd, s, ct) => call(meter[op], rnd, s, ct), cancellationToken));
            meter.Stop();
            run.Progress.Summarise(meter);
            summaries.Add(meter.Summary(op));
        }

        var ping = summaries[0].PerSecond;
        var reads = Math.Min(summaries[1].PerSecond, summaries[2].PerSecond);
        run.Results.Set("ping_tps_saturation", ping);
        run.Results.Set("read_tps_saturation", summaries[1].PerSecond);
        run.Results.Set("quote_tps_saturation", summaries[2].PerSecond);
        run.Results.Set("reads_vs_ping_ratio", ping > 0 ? reads / ping : double.NaN);
        run.Results.Section(
            "Saturation: reads against the empty call",
            string.Create(CultureInfo.InvariantCulture, $"Closed loop, {c} callers over {run.Options.Connections} HTTP/2 connections, {duration.TotalSeconds:0} s each, warm members with Zipf popularity. The empty call (`Diagnostics/Ping`) goes through the same Kestrel endpoint and interceptors and does nothing: the transport ceiling on this machine.\n\n")
            + Markdown.Latencies(summaries)
            + string.Create(CultureInfo.InvariantCulture, $"\n**reads_vs_ping_ratio** = min(GetMember, QuoteCheckout) / Ping = min({summaries[1].PerSecond:N0}, {summaries[2].PerSecond:N0}) / {ping:N0} = **{(ping > 0 ? reads / ping : double.NaN):0.000}**.\n"));
    }
}
