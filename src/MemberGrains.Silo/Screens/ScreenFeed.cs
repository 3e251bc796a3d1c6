using System.Runtime.CompilerServices;
using MemberGrains.Abstractions;

namespace MemberGrains.Silo.Screens;

/// <summary>
/// A member's screen, live: the view now, then a fresh one after every committed change, and a
/// heartbeat when nothing changed for a while. The member grain tells a watcher registered here
/// about each commit (one-way, best effort); the feed also asks the member's version at every
/// heartbeat and renews its registration, so a lost notification (the member moved to another
/// silo) delays a view by a heartbeat at most, and never leaves the screen stale. Shared by the
/// gRPC stream (StoreScreen/WatchMember) and the browser's server-sent events.
/// </summary>
public sealed class ScreenFeed(IGrainFactory grains, TimeProvider time, TimeSpan heartbeat)
{
    /// <summary>Time between heartbeats on a quiet feed (MemberGrains:Screens:HeartbeatSeconds, 15 by default).</summary>
    public TimeSpan Heartbeat { get; } = heartbeat;

    /// <summary>How often the watcher's registration at the member is renewed (it lapses after two minutes).</summary>
    public static readonly TimeSpan Renew = TimeSpan.FromSeconds(60);

    /// <summary>Feed length when the caller gives none, and the longest allowed.</summary>
    public static readonly TimeSpan DefaultLength = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan MaxLength = TimeSpan.FromHours(1);

    /// <summary>
    /// The feed of <paramref name="memberId"/> until <paramref name="length"/> passed or the caller
    /// cancels (the enumeration then just ends). An unknown member throws before the first item.
    /// </summary>
    internal async IAsyncEnumerable<ScreenUpdate> WatchAsync(string memberId, string? storeId, TimeSpan length, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var member = grains.Member(memberId);
        var watcher = new MemberViewWatcher();
        var reference = grains.CreateObjectReference<IMemberWatcher>(watcher);
        using var end = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        end.CancelAfter(length);
        try
        {
            await member.WatchAsync(reference);
            var renewed = time.GetTimestamp();
            var view = await member.GetScreenViewAsync(storeId);
            var sent = view.Version;
            yield return new ScreenUpdate(view, sent, time.GetUtcNow());
            while (!end.IsCancellationRequested)
            {
                bool changed;
                try
                {
                    changed = await watcher.WaitAsync(Heartbeat, end.Token);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                if (time.GetElapsedTime(renewed) >= Renew)
                {
                    await member.WatchAsync(reference);
                    renewed = time.GetTimestamp();
                }

                var current = changed ? watcher.Latest : await member.GetVersionAsync();
                if (current > sent)
                {
                    view = await member.GetScreenViewAsync(storeId);
                    if (view.Version > sent)
                    {
                        sent = view.Version;
                        yield return new ScreenUpdate(view, sent, time.GetUtcNow());
                        continue;
                    }
                }

                if (!changed)
                {
                    yield return new ScreenUpdate(null, sent, time.GetUtcNow());
                }
            }
        }
        finally
        {
            await ForgetAsync(member, reference);
        }
    }

    private async Task ForgetAsync(IMemberGrain member, IMemberWatcher reference)
    {
        try
        {
            await member.UnwatchAsync(reference);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The registration lapses by itself within two minutes.
        }
        finally
        {
            grains.DeleteObjectReference<IMemberWatcher>(reference);
        }
    }
}
