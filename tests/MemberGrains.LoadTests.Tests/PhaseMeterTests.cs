using System.Diagnostics;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Tests;

/// <summary>A phase's meter measured in slices (the read saturation phase's rounds).</summary>
public sealed class PhaseMeterTests
{
    [Fact]
    public void Resume_KeepsTheSlicesTotalsAndDropsWhatWasRecordedBetweenThem()
    {
        var meter = new PhaseMeter("GetMember, two slices", "GetMember");
        Record(meter, 3);
        meter.Start(); // drops the 3 recorded before the start
        Record(meter, 5);
        meter.Stop();
        var firstSeconds = meter.Seconds;
        Record(meter, 7); // between the slices: dropped
        meter.Resume();
        Record(meter, 11);
        meter.Stop();

        var summary = meter.Summary("GetMember");

        Assert.Equal(16, summary.Calls);
        Assert.True(meter.Seconds >= firstSeconds, $"{meter.Seconds} s after the second slice, {firstSeconds} s after the first");
        Assert.Equal(meter.Seconds, summary.Seconds, 9);
    }

    [Fact]
    public void Resume_WhileRunning_Refused()
    {
        var meter = new PhaseMeter("Ping", "Ping");
        meter.Start();

        Assert.Throws<InvalidOperationException>(meter.Resume);
    }

    [Fact]
    public void Start_AfterEarlierSlices_BeginsAgainFromNothing()
    {
        var meter = new PhaseMeter("Ping", "Ping");
        meter.Start();
        Record(meter, 4);
        meter.Stop();

        meter.Start();
        Record(meter, 2);
        meter.Stop();

        Assert.Equal(2, meter.Summary("Ping").Calls);
    }

    /// <summary>Records <paramref name="calls"/> answered calls of 1 ms each of the meter's only operation.</summary>
    private static void Record(PhaseMeter meter, int calls)
    {
        var recorder = meter.Recorders.Single();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            recorder.Ok(start, start + (Stopwatch.Frequency / 1000));
        }
    }
}
