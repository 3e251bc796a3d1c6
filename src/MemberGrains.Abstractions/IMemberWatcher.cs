using Orleans.Concurrency;

namespace MemberGrains.Abstractions;

/// <summary>
/// Told when a watched member committed a change (a store screen's live view). Best effort: a
/// notification can be lost (the member moved silos, the watcher's registration lapsed), so a
/// watcher also asks for the member's version now and then and renews its registration.
/// </summary>
[Alias("membergrains.IMemberWatcher")]
public interface IMemberWatcher : IGrainObserver
{
    /// <summary>The member is at <paramref name="version"/> now (committed).</summary>
    [OneWay, Alias("Changed")]
    Task ChangedAsync(long version);
}
