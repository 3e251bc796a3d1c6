using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>
/// Phase 6: closed loop at concurrency 64: the empty call, the empty call through a member's grain,
/// GetMember, QuoteCheckout and a store screen's GetMemberView; reads against the transport ceiling,
/// and how much of what they cost is the hop to the grain.
/// </summary>
internal static class SaturationPhase
{
    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var traffic = run.Traffic;
        var c = run.Options.SaturationConcurrency;
        var duration = run.Options.SaturationDuration;
        var summaries = new List<LatencySummary>();
        var costs = new List<CpuCost>();
        (string Op, Func<OpRecorder, Random, long, CancellationToken, Task> Call)[] steps =
        [
            (Ops.Ping, (r, _, s, ct) => traffic.PingAsync(r, s, ct)),
            (Ops.PingMember, (r, rnd, s, ct) => traffic.PingMemberAsync(r, traffic.Popularity.Next(rnd), s, ct)),
            (Ops.GetMember, (r, rnd, s, ct) => traffic.GetMemberAsync(r, traffic.Popularity.Next(rnd), s, ct)),
            (Ops.Quote, (r, rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.QuoteAsync(r, member, traffic.StoreFor(member, rnd), traffic.Baskets.Next(rnd), s, ct);
            }),
            (Ops.ScreenView, (r, rnd, s, ct) =>
            {
                var member = traffic.Popularity.Next(rnd);
                return traffic.ScreenViewAsync(r, member, traffic.StoreFor(member, rnd), s, ct);
            }),
        ];
        var rounds = Math.Max(1, run.Options.SaturationRounds);
        var slice = duration / rounds;
        var meters = steps.Select(step => new PhaseMeter($"{step.Op}, closed loop, {c} callers, {duration.TotalSeconds:0} s in {rounds} slices", step.Op)).ToArray();
        var slices = steps.Select(_ => new List<CpuSlice>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            // Every other round in reverse order: each operation's slices sit, on average, at the
            // same moment of the phase, so a drift of the machine's speed within the phase falls
            // on all of them alike.
            for (var i = 0; i < steps.Length; i++)
            {
                var index = round % 2 == 0 ? i : steps.Length - 1 - i;
                var (op, call) = steps[index];
                var meter = meters[index];
                var before = await CpuSample.TakeAsync(traffic.Client, cancellationToken);
                var callsBefore = meter.Summary(op).Calls;
                if (round == 0)
                {
                    meter.Start();
                }
                else
                {
                    meter.Resume();
                }

                await run.Progress.RunAsync(meter, () => ClosedLoop.ForAsync(c, slice, (rnd, s, ct) => call(meter[op], rnd, s, ct), cancellationToken));
                meter.Stop();
                var after = await CpuSample.TakeAsync(traffic.Client, cancellationToken);
                slices[index].Add(new CpuSlice(meter.Summary(op).Calls - callsBefore, before, after));
            }
        }

        for (var i = 0; i < steps.Length; i++)
        {
            run.Progress.Summarise(meters[i]);
            summaries.Add(meters[i].Summary(steps[i].Op));
            costs.Add(CpuCost.Of(steps[i].Op, slices[i]));
        }

        var ping = summaries[0].PerSecond;
        var hop = summaries[1].PerSecond;
        var read = summaries[2].PerSecond;
        var quote = summaries[3].PerSecond;
        var view = summaries[4].PerSecond;
        var reads = Math.Min(read, quote);
        run.Results.Set("ping_tps_saturation", ping);
        run.Results.Set("member_ping_tps_saturation", hop);
        run.Results.Set("member_ping_vs_ping_ratio", Ratio(hop, ping));
        run.Results.Set("read_vs_member_ping_ratio", Ratio(read, hop));
        run.Results.Set("read_tps_saturation", read);
        run.Results.Set("quote_tps_saturation", quote);
        run.Results.Set("screen_view_tps_saturation", view);
        run.Results.Set("reads_vs_ping_ratio", Ratio(reads, ping));
        run.Results.Set("screen_view_vs_ping_ratio", Ratio(view, ping));
        run.Results.Set("quote_vs_read_ratio", Ratio(quote, read));
        foreach (var (cost, name) in costs.Zip(["ping", "member_ping", "read", "quote", "screen_view"]))
        {
            run.Results.Set($"silo_cpu_us_{name}", cost.SiloUs);
            run.Results.Set($"generator_cpu_us_{name}", cost.GeneratorUs);
        }

        run.Results.Section(
            "Saturation: reads against the empty call",
            string.Create(CultureInfo.InvariantCulture, $"Closed loop, {c} callers over {run.Options.Connections} HTTP/2 connections, {duration.TotalSeconds:0} s each, warm members with Zipf popularity. Each operation's time is split into {rounds} rounds, every other one in reverse order ({RoundOrder(steps.Select(x => x.Op).ToArray(), rounds)}), so that a drift of the machine's speed within the phase falls on every operation alike; the figures are each operation's rounds together. The empty call (`Diagnostics/Ping`) goes through the same Kestrel endpoint and interceptors and does nothing: the transport ceiling on this machine. `Diagnostics/PingMember` is the empty call plus one call of the member's grain that does no work (it answers the committed version): what is left between it and a read is the read's own work, what is between the empty call and it is the hop to the grain. GetMemberView is a store screen's view of the member (`StoreScreen/GetMemberView`, at the member's home store 80 % of the time).\n\n")
            + Markdown.Latencies(summaries)
            + "\n" + CpuCost.Table(costs)
            + string.Create(CultureInfo.InvariantCulture, $"\n**reads_vs_ping_ratio** = min(GetMember, QuoteCheckout) / Ping = min({read:N0}, {quote:N0}) / {ping:N0} = **{Ratio(reads, ping):0.000}**.\n")
            + string.Create(CultureInfo.InvariantCulture, $"\n**screen_view_vs_ping_ratio** = GetMemberView / Ping = {view:N0} / {ping:N0} = **{Ratio(view, ping):0.000}**.\n")
            + string.Create(CultureInfo.InvariantCulture, $"\n**member_ping_vs_ping_ratio** = PingMember / Ping = {hop:N0} / {ping:N0} = **{Ratio(hop, ping):0.000}** (the ceiling of any call that goes to a member's grain); **read_vs_member_ping_ratio** = GetMember / PingMember = {read:N0} / {hop:N0} = **{Ratio(read, hop):0.000}**.\n")
            + string.Create(CultureInfo.InvariantCulture, $"\n**quote_vs_read_ratio** = QuoteCheckout / GetMember = {quote:N0} / {read:N0} = **{Ratio(quote, read):0.000}**.\n"));
    }

    /// <summary>The order of the first two rounds, as the report describes it ("A B C, C B A, …").</summary>
    private static string RoundOrder(string[] ops, int rounds)
    {
        var forward = string.Join(" ", ops);
        return rounds switch
        {
            1 => forward,
            2 => $"{forward}, {string.Join(" ", Enumerable.Reverse(ops))}",
            _ => $"{forward}, {string.Join(" ", Enumerable.Reverse(ops))}, …",
        };
    }

    private static double Ratio(double value, double baseline) => baseline > 0 ? value / baseline : double.NaN;
}
