using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 4: every remaining member activated by a GetMember (64 callers), then the silo's managed memory per resident member.</summary>
internal static class ActivateAllPhase
{
    public const string Op = "GetMember (activation)";

    public static async Task RunAsync(RunContext run, SiloStats baseline, CancellationToken cancellationToken)
    {
        var remaining = Enumerable.Range(0, run.Traffic.Members.Count).Where(m => !run.Activated[m]).ToList();
        var meter = new PhaseMeter($"Activating {remaining.Count:N0} members, {run.Options.ActivationConcurrency} callers", Op);
        meter.Start();
        await run.Progress.RunAsync(meter, () => ClosedLoop.EachAsync(run.Options.ActivationConcurrency, remaining, async (member, start, ct) =>
        {
            var result = await run.Traffic.GetMemberAsync(meter[Op], member, start, ct);
            if (result.Ok)
            {
                run.Activated[member] = true;
            }
        }, cancellationToken));
        meter.Stop();
        run.Progress.Summarise(meter);
        var summary = meter.Summary(Op);

        var after = await SiloStatsReader.ReadAsync(run.Traffic.Client, fullGc: true, cancellationToken);
        var resident = run.Activated.Count(a => a);
        var perMember = resident == 0 ? double.NaN : (after.ManagedBytes - baseline.ManagedBytes) / (double)resident;
        run.Results.Set("activations_per_s", summary.PerSecond);
        run.Results.Set("bytes_per_member", perMember);
        run.Results.Set("resident_members", resident);
        run.Results.Set("silo_working_set_bytes", after.WorkingSetBytes);
        run.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"{resident:N0} members resident; silo managed heap {after.ManagedBytes / 1048576.0:N1} MiB (was {baseline.ManagedBytes / 1048576.0:N1} MiB) = {perMember:N0} bytes per member; working set {after.WorkingSetBytes / 1048576.0:N1} MiB; Orleans counts {after.MemberActivations:N0} member activations"));
        run.Results.Section(
            "Activating every member, and memory per member",
            string.Create(CultureInfo.InvariantCulture, $"GetMember on every member not yet active, {run.Options.ActivationConcurrency} callers: **{summary.PerSecond:N0} activations/s**.\n\n")
            + Markdown.Latencies([summary])
            + "\n"
            + Markdown.Table(
                ["silo figure", "after start-up", "all members resident"],
                [
                    ["managed heap (full GC)", Markdown.Mb(baseline.ManagedBytes), Markdown.Mb(after.ManagedBytes)],
                    ["GC heap size", Markdown.Mb(baseline.HeapSizeBytes), Markdown.Mb(after.HeapSizeBytes)],
                    ["working set", Markdown.Mb(baseline.WorkingSetBytes), Markdown.Mb(after.WorkingSetBytes)],
                    ["member activations (Orleans)", Markdown.N(baseline.MemberActivations), Markdown.N(after.MemberActivations)],
                    ["gen0/gen1/gen2 collections", $"{baseline.Gen0Collections}/{baseline.Gen1Collections}/{baseline.Gen2Collections}", $"{after.Gen0Collections}/{after.Gen1Collections}/{after.Gen2Collections}"],
                ])
            + string.Create(CultureInfo.InvariantCulture, $"\n**bytes_per_member** = (managed heap with all {resident:N0} members resident − managed heap after start-up) / {resident:N0} = **{perMember:N0} bytes**.\n"));
    }
}
