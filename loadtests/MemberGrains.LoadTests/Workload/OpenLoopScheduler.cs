using System.Diagnostics;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// Open-loop arrivals: a dedicated thread starts each session at its scheduled time, never waiting
/// for earlier sessions, so a slow server meets the same arrivals a real chain would send it and
/// the wait shows up in the measured latency (no coordinated omission). Sessions run on the thread
/// pool; beyond <c>maxInFlight</c> an arrival is dropped and counted as an error.
/// </summary>
internal sealed class OpenLoopScheduler(int maxInFlight)
{
    private long _inFlight;
    private long _launched;
    private long _dropped;
    private long _crashed;

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Launched => Interlocked.Read(ref _launched);

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Sessions that threw (a generator bug, not a server error): reported, and they fail the run.</summary>
    public long Crashed => Interlocked.Read(ref _crashed);

    /// <summary>
    /// Runs the streams for <paramref name="duration"/>, then waits up to <paramref name="drain"/> for
    /// sessions still in flight, then cancels what is left through <paramref name="abandon"/> (the
    /// token the sessions' calls carry; cancelled mutations have an unknown outcome) and waits for
    /// every session to end, so the mutation log is complete when this returns.
    /// </summary>
    public async Task RunAsync(TimeSpan duration, IReadOnlyList<ArrivalStream> streams, TimeSpan drain, CancellationTokenSource abandon, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Schedule(duration, streams, cancellationToken);
                done.TrySetResult();
            }
            catch (Exception e)
            {
                done.TrySetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "open-loop scheduler",
            Priority = ThreadPriority.AboveNormal,
        };
        thread.Start();
        await done.Task;
        var until = Stopwatch.GetTimestamp() + (long)(drain.TotalSeconds * Stopwatch.Frequency);
        while (InFlight > 0 && Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        if (InFlight > 0)
        {
            Abandoned = InFlight;
            await abandon.CancelAsync();
            while (InFlight > 0)
            {
                await Task.Delay(20, CancellationToken.None);
            }
        }
    }

    /// <summary>Sessions still in flight after the drain, cancelled.</summary>
    public long Abandoned { get; private set; }

    private void Schedule(TimeSpan duration, IReadOnlyList<ArrivalStream> streams, CancellationToken cancellationToken)
    {
        var frequency = (double)Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * frequency);
        var next = new double?[streams.Count];
        var sequence = new int[streams.Count];
        for (var i = 0; i < streams.Count; i++)
        {
            next[i] = streams[i].Arrivals.NextAfter(0);
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            if (now >= end)
            {
                return;
            }

            var earliest = double.MaxValue;
            for (var i = 0; i < streams.Count; i++)
            {
                while (next[i] is { } at && start + (long)(at * frequency) <= now)
                {
                    Launch(streams[i], start + (long)(at * frequency), sequence[i]++);
                    next[i] = streams[i].Arrivals.NextAfter(at);
                }

                if (next[i] is { } upcoming)
                {
                    earliest = Math.Min(earliest, upcoming);
                }
            }

            if (earliest == double.MaxValue)
            {
                return;
            }

            var waitMs = ((start + (earliest * frequency)) - Stopwatch.GetTimestamp()) * 1000 / frequency;
            // Never spin: on a 2-core machine shared with the silo and Postgres, a spinning
            // scheduler takes a core from them. A call launched up to ~1 ms late is still timed
            // from its intended start, so the lateness shows in its latency.
            if (waitMs > 0)
            {
                Thread.Sleep((int)Math.Clamp(waitMs, 1, 50));
            }
        }
    }

    private void Launch(ArrivalStream stream, long intendedStart, int sequence)
    {
        if (Interlocked.Read(ref _inFlight) >= maxInFlight)
        {
            Interlocked.Increment(ref _dropped);
            stream.DropsTo.Drop();
            return;
        }

        Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _launched);
        ThreadPool.UnsafeQueueUserWorkItem(new Arrival(this, stream, intendedStart, sequence), preferLocal: false);
    }

    private async Task RunSessionAsync(ArrivalStream stream, long intendedStart, int sequence)
    {
        try
        {
            await stream.Session(intendedStart, sequence).ConfigureAwait(false);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref _crashed);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private sealed class Arrival(OpenLoopScheduler scheduler, ArrivalStream stream, long intendedStart, int sequence) : IThreadPoolWorkItem
    {
        public void Execute() => _ = scheduler.RunSessionAsync(stream, intendedStart, sequence);
    }
}
