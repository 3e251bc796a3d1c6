using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 5: one caller, warm members (Zipf), each operation in turn (Ping, GetMember, GetMemberView, QuoteCheckout, Accrue): the latency floor of each path.</summary>
internal static class SingleClientPhase
{
    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var n = run.Options.SingleClientCalls;
        var traffic = run.Traffic;
        var summaries = new List<LatencySummary>();
        (string Op, string Figure, Func<Measurement.OpRecorder, Random, long, CancellationToken, Task> Call)[] steps =
        [
            (Ops.Ping, "ping_p50_ms_c1", (r, _, s, ct) => traffic.PingAsync(r, s, ct)),
            (Ops.GetMember, "read_p50_ms_c1", (r, rnd, s, ct) => traffic.GetMemberAsync(r, traffic.Popularity.Next(rnd), s, ct)),
            (Ops.ScreenView, "screen_view_p50_ms_c1", (r, rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.ScreenViewAsync(r, member, traffic.StoreFor(member, rnd), s, ct);
            }),
            (Ops.Quote, "quote_p50_ms_c1", (r, rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.QuoteAsync(r, member, traffic.StoreFor(member, rnd), traffic.Baskets.Next(rnd), s, ct);
            }),
            (Ops.Accrue, "accrue_p50_ms_c1", (r, rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.AccrueAsync(r, member, traffic.StoreFor(member, rnd), Traffic.TillFor(rnd), traffic.Baskets.Next(rnd), s, ct);
            }),
        ];
        foreach (var (op, figure, call) in steps)
        {
            var meter = new PhaseMeter($"{op}, 1 caller, {n:N0} calls", op);
            var random = new Random(run.Options.Seed + op.Length);
            // A few calls first so the path is warm (JIT, connections, the members' caches).
            await ClosedLoop.EachAsync(1, [.. Enumerable.Range(0, Math.Min(100, n))], (_, s, ct) => call(meter[op], random, s, ct), cancellationToken);
            meter.Start();
            await run.Progress.RunAsync(meter, () => ClosedLoop.EachAsync(1, [.. Enumerable.Range(0, n)], (_, s, ct) => call(meter[op], random, s, ct), cancellationToken));
            meter.Stop();
            run.Progress.Summarise(meter);
            var summary = meter.Summary(op);
            summaries.Add(summary);
            run.Results.Set(figure, summary.P50Ms);
        }

        run.Results.Section(
            "One caller (concurrency 1)",
            string.Create(CultureInfo.InvariantCulture, $"{n:N0} calls per operation, one after the other, on warm members picked with Zipf popularity (after 100 warm-up calls). Accrue is durable: answered after its Postgres commit.\n\n")
            + Markdown.Latencies(summaries));
    }
}
