using MemberGrains.Abstractions;

namespace MemberGrains.Silo.Screens;

/// <summary>The in-silo end of a screen's watch: remembers the newest version a member reported and wakes the stream.</summary>
internal sealed class MemberViewWatcher : IMemberWatcher
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _latest;

    /// <summary>The newest version reported so far (0: none).</summary>
    public long Latest => Interlocked.Read(ref _latest);

    public Task ChangedAsync(long version)
    {
        long seen;
        do
        {
            seen = Interlocked.Read(ref _latest);
            if (version <= seen)
            {
                return Task.CompletedTask;
            }
        }
        while (Interlocked.CompareExchange(ref _latest, version, seen) != seen);

        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent report.
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits for a report or <paramref name="timeout"/>; true when a report came.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
