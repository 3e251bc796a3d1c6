using System.Diagnostics;
using System.Globalization;
using MemberGrains.LoadTests.Phases;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Measurement;

/// <summary>
/// Processor time spent by each party during one step, read before and after it: the silo's own
/// figures (CPU time, GC pauses and collections, from Diagnostics/GetSiloStats without a
/// collection), this generator's CPU time, and the whole machine's busy time from
/// <c>/proc/stat</c>. What is left of the machine once silo and generator are taken out is
/// PostgreSQL (and whatever else runs there). Divided by the step's calls, it says what one call
/// costs each of them: the figures behind a ratio such as reads against the empty call.
/// </summary>
internal sealed record CpuSample(SiloStats Silo, TimeSpan Generator, double? MachineBusyMs, long Timestamp)
{
    public static async Task<CpuSample> TakeAsync(LoadClient client, CancellationToken cancellationToken)
    {
        var silo = await SiloStatsReader.ReadAsync(client, fullGc: false, cancellationToken);
        return new CpuSample(silo, Process.GetCurrentProcess().TotalProcessorTime, MachineBusy.ReadMs(), Stopwatch.GetTimestamp());
    }
}

/// <summary>Processor samples taken before and after one slice of a step, and the calls answered in it.</summary>
internal sealed record CpuSlice(long Calls, CpuSample Before, CpuSample After);

/// <summary>One step's processor time per call, by party (see <see cref="CpuSample"/>).</summary>
/// <param name="Operation">What was called.</param>
/// <param name="Calls">Calls answered in the step.</param>
/// <param name="Seconds">The step's wall time between the two samples.</param>
/// <param name="SiloUs">Silo CPU per call, µs (all silos together).</param>
/// <param name="GeneratorUs">This load generator's CPU per call, µs.</param>
/// <param name="RestUs">The machine's remaining busy time per call, µs (PostgreSQL and anything else); null where /proc/stat cannot be read.</param>
/// <param name="MachineBusyShare">Busy share of the machine's cores over the step (0–1); null where unknown.</param>
/// <param name="GcPausedShare">Share of the step's wall time the silo was paused for garbage collection.</param>
/// <param name="Collections">The silo's gen0/gen1/gen2 collections in the step.</param>
internal sealed record CpuCost(
    string Operation,
    long Calls,
    double Seconds,
    double SiloUs,
    double GeneratorUs,
    double? RestUs,
    double? MachineBusyShare,
    double GcPausedShare,
    string Collections)
{
    public static CpuCost Between(string operation, long calls, CpuSample before, CpuSample after) =>
        Of(operation, [new CpuSlice(calls, before, after)]);

    /// <summary>The cost of an operation measured in several slices (samples around each), as if in one step.</summary>
    public static CpuCost Of(string operation, IReadOnlyList<CpuSlice> slices)
    {
        ArgumentOutOfRangeException.ThrowIfZero(slices.Count);
        long calls = 0;
        double seconds = 0, siloMs = 0, generatorMs = 0, pauseMs = 0;
        double? busyMs = 0;
        long gen0 = 0, gen1 = 0, gen2 = 0;
        foreach (var (sliceCalls, before, after) in slices)
        {
            calls += sliceCalls;
            seconds += Stopwatch.GetElapsedTime(before.Timestamp, after.Timestamp).TotalSeconds;
            siloMs += after.Silo.CpuTimeMs - before.Silo.CpuTimeMs;
            generatorMs += (after.Generator - before.Generator).TotalMilliseconds;
            busyMs += after.MachineBusyMs - before.MachineBusyMs;
            pauseMs += after.Silo.TotalPauseMs - before.Silo.TotalPauseMs;
            gen0 += after.Silo.Gen0Collections - before.Silo.Gen0Collections;
            gen1 += after.Silo.Gen1Collections - before.Silo.Gen1Collections;
            gen2 += after.Silo.Gen2Collections - before.Silo.Gen2Collections;
        }

        var per = calls > 0 ? 1000.0 / calls : double.NaN;
        return new CpuCost(
            operation,
            calls,
            seconds,
            siloMs * per,
            generatorMs * per,
            busyMs is { } b ? Math.Max(0, b - siloMs - generatorMs) * per : null,
            busyMs is { } m && seconds > 0 ? m / (seconds * 1000 * Environment.ProcessorCount) : null,
            seconds > 0 ? pauseMs / (seconds * 1000) : double.NaN,
            string.Create(CultureInfo.InvariantCulture, $"{gen0}/{gen1}/{gen2}"));
    }

    /// <summary>The table of a phase's steps, with a line saying how to read it.</summary>
    public static string Table(IEnumerable<CpuCost> costs) =>
        "Processor time per call during each step (silo: its own CPU time; generator: this program's; rest: the machine's busy time less both, that is PostgreSQL and anything else on the machine):\n\n"
        + Markdown.Table(
            ["operation", "calls", "silo µs/call", "generator µs/call", "rest µs/call", "machine busy", "silo paused for GC", "silo gen0/1/2"],
            costs.Select(c => (IReadOnlyList<string>)
            [
                c.Operation,
                Markdown.N(c.Calls),
                Markdown.N(c.SiloUs, "N1"),
                Markdown.N(c.GeneratorUs, "N1"),
                c.RestUs is { } r ? Markdown.N(r, "N1") : "—",
                c.MachineBusyShare is { } s ? Markdown.N(s * 100, "N0") + " %" : "—",
                Markdown.N(c.GcPausedShare * 100, "N1") + " %",
                c.Collections,
            ]));
}

/// <summary>The machine's busy processor time, from the first line of <c>/proc/stat</c>.</summary>
internal static class MachineBusy
{
    /// <summary>user + nice + system + irq + softirq, in ms; idle, iowait and steal left out. Null off Linux.</summary>
    public static double? ReadMs()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            return Parse(reader.ReadLine());
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Parses the aggregate <c>cpu</c> line (ticks of 10 ms, the kernel's USER_HZ of 100).</summary>
    public static double? Parse(string? line)
    {
        if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
        {
            return null;
        }

        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 8)
        {
            return null;
        }

        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        var busyTicks = Field(1) + Field(2) + Field(3) + Field(6) + Field(7);
        return busyTicks * 10.0;
    }
}
