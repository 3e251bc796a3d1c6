using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 3: GetMember, one caller, on members not active yet — each call activates the member (one Postgres read).</summary>
internal static class ColdActivationPhase
{
    public const string Op = "GetMember (cold)";

    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var count = Math.Min(run.Options.ColdActivations, run.Traffic.Members.Count);
        var random = new Random(run.Options.Seed + 3);
        var picked = new HashSet<int>();
        while (picked.Count < count)
        {
            var member = random.Next(run.Traffic.Members.Count);
            if (!run.Activated[member])
            {
                picked.Add(member);
            }
        }

        var meter = new PhaseMeter($"Cold activations, 1 caller, {count:N0} members", Op);
        meter.Start();
        await run.Progress.RunAsync(meter, () => ClosedLoop.EachAsync(1, [.. picked], async (member, start, ct) =>
        {
            await run.Traffic.GetMemberAsync(meter[Op], member, start, ct);
            run.Activated[member] = true;
        }, cancellationToken));
        meter.Stop();
        run.Progress.Summarise(meter);
        var summary = meter.Summary(Op);
        run.Results.Set("activation_p50_ms", summary.P50Ms);
        run.Results.Set("activation_p99_ms", summary.P99Ms);
        run.Results.Section(
            "Cold activation",
            string.Create(CultureInfo.InvariantCulture, $"GetMember at concurrency 1 on {count:N0} random members not yet in memory: each call activates the member grain (one primary-key read of its row and JSON state).\n\n")
            + Markdown.Latencies([summary]));
    }
}
