using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The profile's store screens that watch members check out. A share of the checkout sessions get a
/// screen: StoreScreen/WatchMember is opened for the session's member at the session's arrival (the
/// shopper at a screen), the checkout itself starts <c>lead</c> later (still open loop: its first
/// call is timed from that planned start), and the stream is closed once every accrual of the
/// member answered meanwhile is shown, or <c>bound</c> after the last one. At most
/// <c>capacity</c> streams are open at once; a session beyond that, or for a member already
/// watched or with a change in flight, checks out unwatched. For each accrual: the time from the
/// till's OK answer to the view that shows it (<see cref="WatchMatch"/>) into an HdrHistogram.
/// </summary>
internal sealed class ScreenWatchers(Traffic traffic, int capacity, double share, TimeSpan lead, TimeSpan bound)
{
    /// <summary>The stream's own limit (max_seconds); the generator closes it long before.</summary>
    public const int MaxSeconds = 120;

    private readonly ConcurrentDictionary<StatusCode, string> _firstBreak = new();
    private long _open;
    private long _peakOpen;
    private long _sessions;
    private long _full;
    private long _busy;
    private long _shown;
    private long _uncertain;
    private long _missed;
    private long _broken;

    /// <summary>From opening a stream (the session's arrival) to its first view.</summary>
    public OpRecorder FirstViews { get; } = new(Ops.WatchFirstView);

    /// <summary>From an accrual's OK answer to the view showing it (1 µs when the view came first).</summary>
    public OpRecorder Updates { get; } = new(Ops.WatchUpdate);

    public int Capacity => capacity;

    public double Share => share;

    public TimeSpan Lead => lead;

    public TimeSpan Bound => bound;

    /// <summary>Streams open now.</summary>
    public long Open => Interlocked.Read(ref _open);

    /// <summary>Most streams open at once.</summary>
    public long PeakOpen => Interlocked.Read(ref _peakOpen);

    /// <summary>Checkout sessions a screen watched.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    /// <summary>Sessions picked for a screen that went unwatched: every watcher was busy.</summary>
    public long Full => Interlocked.Read(ref _full);

    /// <summary>Sessions picked for a screen that went unwatched: the member was watched already or had a change in flight.</summary>
    public long Busy => Interlocked.Read(ref _busy);

    /// <summary>Accruals of watched members shown by their stream.</summary>
    public long Shown => Interlocked.Read(ref _shown);

    /// <summary>Accruals raced by another change of the member: which view shows them cannot be told, so not measured.</summary>
    public long Uncertain => Interlocked.Read(ref _uncertain);

    /// <summary>Accruals of watched members not shown within the bound (or before their stream broke).</summary>
    public long Missed => Interlocked.Read(ref _missed);

    /// <summary>Streams that failed or ended before the screen closed them.</summary>
    public long Broken => Interlocked.Read(ref _broken);

    /// <summary>The first message seen with each status a stream broke with (OK: ended on its own).</summary>
    public IReadOnlyDictionary<StatusCode, string> FirstBreaks => _firstBreak;

    /// <summary>
    /// Runs <paramref name="checkout"/> (given the timestamp its first call is timed from), with a
    /// screen watching <paramref name="member"/> at <paramref name="store"/> when this session gets one.
    /// </summary>
    public Task CheckoutAsync(int member, string store, long arrival, Func<long, Task> checkout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkout);
        if (capacity <= 0 || Random.Shared.NextDouble() >= share)
        {
            return checkout(arrival);
        }

        var open = Interlocked.Increment(ref _open);
        if (open > capacity)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _full);
            return checkout(arrival);
        }

        if (traffic.Watches.TryOpen(member) is not { } watch)
        {
            Interlocked.Decrement(ref _open);
            Interlocked.Increment(ref _busy);
            return checkout(arrival);
        }

        InterlockedMax(ref _peakOpen, open);
        Interlocked.Increment(ref _sessions);
        return WatchedAsync(watch, store, arrival, checkout, cancellationToken);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private async Task WatchedAsync(ScreenWatch watch, string store, long arrival, Func<long, Task> checkout, CancellationToken cancellationToken)
    {
        using var close = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = ReadAsync(watch, store, arrival, close.Token);
        try
        {
            var start = arrival + (long)(lead.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Abandoned before the checkout began: nothing to send.
                }
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                await checkout(start).ConfigureAwait(false);
                await watch.SettleAsync(bound, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            traffic.Watches.Close(watch);
            await close.CancelAsync().ConfigureAwait(false);
            await reader.ConfigureAwait(false);
            Interlocked.Decrement(ref _open);
            Tally(watch);
        }
    }

    /// <summary>Reads the stream until the screen closes it (<paramref name="closed"/>); records its views and whether it broke. Never throws.</summary>
    private async Task ReadAsync(ScreenWatch watch, string store, long opened, CancellationToken closed)
    {
        var first = true;
        try
        {
            using var call = traffic.Client.Screen.WatchMember(
                new WatchMemberRequest { MemberId = traffic.Members.IdOf(watch.Member), StoreId = store, MaxSeconds = MaxSeconds },
                traffic.Client.StreamOptions(closed));
            while (await call.ResponseStream.MoveNext(closed).ConfigureAwait(false))
            {
                var arrived = Stopwatch.GetTimestamp();
                if (call.ResponseStream.Current.View is { } view)
                {
                    if (first)
                    {
                        FirstViews.Ok(opened, arrived);
                        first = false;
                    }

                    watch.Viewed(view.Version, view.Balance, arrived);
                }
            }

            if (!closed.IsCancellationRequested)
            {
                Broke(watch, new Status(StatusCode.OK, "the stream ended before the screen closed it"), first, opened);
            }
        }
        catch (RpcException e) when (!closed.IsCancellationRequested)
        {
            Broke(watch, e.Status, first, opened);
        }
        catch (Exception e) when (closed.IsCancellationRequested && e is RpcException or OperationCanceledException)
        {
            // Closed by the screen.
        }
        catch (Exception e) when (!closed.IsCancellationRequested && e is not OutOfMemoryException)
        {
            Broke(watch, new Status(StatusCode.Unknown, $"{e.GetType().Name}: {e.Message}"), first, opened);
        }
    }

    private void Broke(ScreenWatch watch, Status status, bool beforeFirstView, long opened)
    {
        watch.Broke(status);
        Interlocked.Increment(ref _broken);
        _firstBreak.TryAdd(status.StatusCode, status.Detail);
        if (beforeFirstView)
        {
            FirstViews.Failed(status.StatusCode, status.Detail, opened, Stopwatch.GetTimestamp());
        }
    }

    private void Tally(ScreenWatch watch)
    {
        foreach (var (accrual, verdict) in watch.Verdicts(final: true))
        {
            switch (verdict.Kind)
            {
                case WatchVerdictKind.Shown:
                    Interlocked.Increment(ref _shown);
                    Updates.Ok(accrual.AnsweredAt, verdict.ShownAt);
                    break;
                case WatchVerdictKind.Uncertain:
                    Interlocked.Increment(ref _uncertain);
                    break;
                default:
                    Interlocked.Increment(ref _missed);
                    break;
            }
        }
    }
}
