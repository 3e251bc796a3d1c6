using System.Diagnostics;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Tests;

/// <summary>Processor time per call by party, from two samples around a step.</summary>
public sealed class CpuCostTests
{
    [Fact]
    public void Between_SplitsTheMachinesBusyTimeIntoSiloGeneratorAndRest()
    {
        var before = new CpuSample(
            new SiloStats { CpuTimeMs = 1_000, TotalPauseMs = 50, Gen0Collections = 10, Gen1Collections = 3, Gen2Collections = 1 },
            TimeSpan.FromMilliseconds(400),
            MachineBusyMs: 5_000,
            Timestamp: 0);
        var after = new CpuSample(
            new SiloStats { CpuTimeMs = 9_000, TotalPauseMs = 250, Gen0Collections = 14, Gen1Collections = 4, Gen2Collections = 1 },
            TimeSpan.FromMilliseconds(4_400),
            MachineBusyMs: 20_000,
            Timestamp: 10 * Stopwatch.Frequency);

        var cost = CpuCost.Between("GetMember", 200_000, before, after);

        Assert.Equal(10, cost.Seconds, 6);
        Assert.Equal(40, cost.SiloUs, 6); // 8,000 ms over 200,000 calls
        Assert.Equal(20, cost.GeneratorUs, 6); // 4,000 ms
        Assert.Equal(15, cost.RestUs!.Value, 6); // 15,000 − 8,000 − 4,000 ms
        Assert.Equal(15_000.0 / (10_000 * Environment.ProcessorCount), cost.MachineBusyShare!.Value, 6);
        Assert.Equal(0.02, cost.GcPausedShare, 6); // 200 ms paused in 10 s
        Assert.Equal("4/1/0", cost.Collections);
    }

    [Fact]
    public void Between_WithoutTheMachinesFigures_LeavesTheRestUnknown()
    {
        var before = new CpuSample(new SiloStats(), TimeSpan.Zero, MachineBusyMs: null, Timestamp: 0);
        var after = new CpuSample(new SiloStats { CpuTimeMs = 100 }, TimeSpan.FromMilliseconds(50), MachineBusyMs: null, Timestamp: Stopwatch.Frequency);

        var cost = CpuCost.Between("Ping", 1_000, before, after);

        Assert.Null(cost.RestUs);
        Assert.Null(cost.MachineBusyShare);
        Assert.Equal(100, cost.SiloUs, 6);
        Assert.Contains("| Ping | 1,000 | 100.0 | 50.0 | — | — |", CpuCost.Table([cost]), StringComparison.Ordinal);
    }

    [Fact]
    public void Of_SeveralSlices_CountsThemAsOneStepAndLeavesOutTheTimeBetween()
    {
        // Two slices of 2 s each with 8 s of something else between them (not counted).
        var first = new CpuSlice(
            1_000,
            new CpuSample(new SiloStats { CpuTimeMs = 0, TotalPauseMs = 0, Gen0Collections = 1 }, TimeSpan.Zero, 0, Timestamp: 0),
            new CpuSample(new SiloStats { CpuTimeMs = 30, TotalPauseMs = 10, Gen0Collections = 3, Gen1Collections = 1 }, TimeSpan.FromMilliseconds(20), 60, Timestamp: 2 * Stopwatch.Frequency));
        var second = new CpuSlice(
            3_000,
            new CpuSample(new SiloStats { CpuTimeMs = 500, TotalPauseMs = 90, Gen0Collections = 9, Gen1Collections = 2 }, TimeSpan.FromMilliseconds(300), 1_000, Timestamp: 10 * Stopwatch.Frequency),
            new CpuSample(new SiloStats { CpuTimeMs = 590, TotalPauseMs = 120, Gen0Collections = 10, Gen1Collections = 2, Gen2Collections = 1 }, TimeSpan.FromMilliseconds(360), 1_200, Timestamp: 12 * Stopwatch.Frequency));

        var cost = CpuCost.Of("GetMember", [first, second]);

        Assert.Equal(4_000, cost.Calls);
        Assert.Equal(4, cost.Seconds, 6);
        Assert.Equal(30, cost.SiloUs, 6); // (30 + 90) ms over 4,000 calls
        Assert.Equal(20, cost.GeneratorUs, 6); // (20 + 60) ms
        Assert.Equal(15, cost.RestUs!.Value, 6); // (60 + 200) − 120 − 80 ms
        Assert.Equal(0.01, cost.GcPausedShare, 6); // (10 + 30) ms paused in 4 s
        Assert.Equal("3/1/1", cost.Collections);
        Assert.Equal(CpuCost.Between("GetMember", 1_000, first.Before, first.After), CpuCost.Of("GetMember", [first]));
    }

    [Theory]
    [InlineData("cpu  100 20 30 4000 50 6 7 8 0 0", 1_630.0)] // (100 + 20 + 30 + 6 + 7) ticks of 10 ms; idle, iowait, steal left out
    [InlineData("cpu0 100 20 30 4000 50 6 7 8 0 0", null)]
    [InlineData("cpu 1 2 3", null)]
    [InlineData(null, null)]
    public void MachineBusy_ReadsTheAggregateLine(string? line, double? expectedMs)
    {
        Assert.Equal(expectedMs, MachineBusy.Parse(line));
    }
}
