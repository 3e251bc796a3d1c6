using System.Diagnostics;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// Closed-loop load: <c>concurrency</c> callers, each sending its next call when the previous one
/// answered, until a time is up or a number of calls is made. Measures service time at a fixed
/// concurrency (what saturation throughput means); the peak-day profile is open-loop instead.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>Calls still waiting this long after the end are cancelled (and count as errors): a stuck server must not stretch the phase to the call deadline.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>Runs callers for <paramref name="duration"/>; each call gets its caller's random and its start timestamp.</summary>
    public static async Task ForAsync(int concurrency, TimeSpan duration, Func<Random, long, CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration + Grace);
        var token = stop.Token;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(
            async () =>
            {
                var random = new Random(Random.Shared.Next());
                while (!token.IsCancellationRequested)
                {
                    var start = Stopwatch.GetTimestamp();
                    if (start >= until)
                    {
                        return;
                    }

                    await call(random, start, token);
                }
            },
            CancellationToken.None)));
        cancellationToken.ThrowIfCancellationRequested();
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
