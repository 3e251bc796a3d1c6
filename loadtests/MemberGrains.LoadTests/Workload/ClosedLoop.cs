using System.Diagnostics;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// Closed-loop load: <c>concurrency</c> callers, each sending its next call when the previous one
/// answered, until a time is up or a number of calls is made. Measures service time at a fixed
/// concurrency (what saturation throughput means); the peak-day profile is open-loop instead.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Runs callers for <paramref name="duration"/>; each call gets a fresh random and its caller's number.</summary>
    public static Task ForAsync(int concurrency, TimeSpan duration, Func<Random, long, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                var random = new Random(Random.Shared.Next());
                while (!cancellationToken.IsCancellationRequested)
                {
                    var start = Stopwatch.GetTimestamp();
                    if (start >= until)
                    {
                        return;
                    }

                    await call(random, start, cancellationToken);
                }
            },
            cancellationToken)));
    }

    /// <summary>Runs callers until <paramref name="items"/> are all handled, each item once.</summary>
    public static Task EachAsync(int concurrency, IReadOnlyList<int> items, Func<int, long, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var next = -1;
        return Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(
            async () =>
            {
                int i;
                while (!cancellationToken.IsCancellationRequested && (i = Interlocked.Increment(ref next)) < items.Count)
                {
                    await call(items[i], Stopwatch.GetTimestamp(), cancellationToken);
                }
            },
            cancellationToken)));
    }
}
