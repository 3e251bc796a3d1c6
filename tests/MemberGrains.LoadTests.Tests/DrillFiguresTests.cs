using System.Diagnostics;
using Grpc.Core;
using MemberGrains.LoadTests.Drills;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Tests;

/// <summary>Recovery times per affected member, and the result figures over the drills.</summary>
public sealed class DrillFiguresTests
{
    private static readonly long Second = Stopwatch.Frequency;

    [Fact]
    public void RecoveryMs_FailureAfterTheFault_TimeFromTheFaultToTheFirstSuccess()
    {
        var tracker = new RecoveryTracker(members: 3);
        const long start = 1_000_000;
        tracker.Failed(0, start - Second); // before any event: not the fault's
        tracker.Succeeded(0, start - (Second / 2));
        var kill = tracker.Mark("kill", start);
        tracker.Failed(1, start + Second);
        tracker.Failed(1, start + (2 * Second)); // the same outage
        tracker.Succeeded(1, start + (3 * Second));
        tracker.Failed(2, start + Second);

        Assert.Equal([3000.0], tracker.RecoveryMs(kill));
        Assert.Equal(1, tracker.OpenSince(kill));
        Assert.Equal(2, tracker.Samples.Count());
        Assert.Equal(1, tracker.Open());
    }

    [Fact]
    public void RecoveryMs_FromALaterEvent_MeasuredFromThatEvent()
    {
        var tracker = new RecoveryTracker(members: 1);
        var stop = tracker.Mark("postgres_stop", 10 * Second);
        tracker.Failed(0, 11 * Second);
        var start = tracker.Mark("postgres_start", 20 * Second);
        tracker.Succeeded(0, 22 * Second);

        Assert.Equal([12_000.0], tracker.RecoveryMs(stop));
        Assert.Equal([2_000.0], tracker.RecoveryMs(stop, from: start));
    }

    [Fact]
    public void Totals_WrongAnswerAndInternal_Counted()
    {
        var stats = new DrillStats(DrillNames.Kill9, 0, members: 2);
        stats.Recovery.Mark("kill");
        stats.Failed("CaptureRedemption", StatusCode.Internal, "Internal error; it has been logged. Retry with the same request_id.");
        stats.Failed("CaptureRedemption", StatusCode.NotFound, "hold_id: No hold.");
        stats.Wrong(new WrongAnswer("kill9", "m1", "CaptureRedemption", "c1", StatusCode.NotFound, "hold_id: No hold.", "silo 2", 2));
        stats.Record(new DrillRecord("m1", "c1", MutationKind.Capture, 0, MutationOutcome.Failed));
        stats.Ok("Accrue");
        stats.Record(new DrillRecord("m1", "a1", MutationKind.Accrue, 10, MutationOutcome.Acknowledged), replayed: true);
        stats.Completed = true;

        var totals = DrillFigures.Totals([stats], planned: 1).ToDictionary(t => t.Name, t => t.Value);

        Assert.Equal(1, totals["wrong_answers"]);
        Assert.Equal(1, totals["internal_errors"]);
        Assert.Equal(1, totals["acknowledged"]);
        Assert.Equal(1, totals["replayed"]);
        Assert.Equal(0, totals["failover_ms_p99"]);
        Assert.Equal(0, totals["kill9_affected_members"]);
        Assert.Equal(1, totals["status_ok"]);
        Assert.Equal(1, totals["status_not_found"]);
        Assert.Equal(1, totals["drills_completed"]);
    }

    [Theory]
    [InlineData(StatusCode.OK, "ok")]
    [InlineData(StatusCode.DeadlineExceeded, "deadline_exceeded")]
    [InlineData(StatusCode.Unavailable, "unavailable")]
    public void SnakeCase_StatusCode_ResultName(StatusCode code, string expected) => Assert.Equal(expected, DrillFigures.SnakeCase(code));
}
