using Google.Protobuf.WellKnownTypes;
using MemberGrains.LoadTests.Phases;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Tests;

/// <summary>Against several silos, the run's silo figures are their sums.</summary>
public sealed class SiloStatsSumTests
{
    [Fact]
    public void Sum_TwoSilos_AddsUpAndKeepsTheShortestUptime()
    {
        var a = new SiloStats { ManagedBytes = 100, HeapSizeBytes = 200, WorkingSetBytes = 300, Gen2Collections = 1, TotalPauseMs = 1.5, MemberActivations = 10, TotalActivations = 12, CpuTimeMs = 7, ServerGc = true, Uptime = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) };
        var b = new SiloStats { ManagedBytes = 1, HeapSizeBytes = 2, WorkingSetBytes = 3, Gen2Collections = 2, TotalPauseMs = 0.5, MemberActivations = 5, TotalActivations = 6, CpuTimeMs = 3, ServerGc = true, Uptime = Duration.FromTimeSpan(TimeSpan.FromMinutes(2)) };

        var sum = SiloStatsReader.Sum([a, b]);

        Assert.Equal(101, sum.ManagedBytes);
        Assert.Equal(202, sum.HeapSizeBytes);
        Assert.Equal(303, sum.WorkingSetBytes);
        Assert.Equal(3, sum.Gen2Collections);
        Assert.Equal(2.0, sum.TotalPauseMs);
        Assert.Equal(15, sum.MemberActivations);
        Assert.Equal(18, sum.TotalActivations);
        Assert.Equal(10, sum.CpuTimeMs);
        Assert.True(sum.ServerGc);
        Assert.Equal(TimeSpan.FromMinutes(2), sum.Uptime.ToTimeSpan());
    }

    [Fact]
    public void Sum_OneSiloWithoutCounters_ActivationsUnknown()
    {
        var sum = SiloStatsReader.Sum([new SiloStats { MemberActivations = 4, TotalActivations = 4 }, new SiloStats { MemberActivations = -1, TotalActivations = -1, ServerGc = true }]);

        Assert.Equal(-1, sum.MemberActivations);
        Assert.Equal(-1, sum.TotalActivations);
        Assert.False(sum.ServerGc);
    }
}
