using System.Diagnostics;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// Time until affected members answer again. A member's first failed call opens an outage,
/// attributed to the latest drill event before it (a kill, a restart …); its next successful call
/// closes it. Each member is driven by one caller at a time, so its slot has one writer.
/// </summary>
internal sealed class RecoveryTracker(int members)
{
    private readonly long[] _failedAt = new long[members];
    private readonly int[] _event = new int[members];
    private readonly System.Collections.Concurrent.ConcurrentQueue<RecoverySample> _samples = new();
    private readonly Lock _gate = new();
    private DrillEvent[] _events = [];

    public IReadOnlyList<DrillEvent> Events => Volatile.Read(ref _events);

    public IEnumerable<RecoverySample> Samples => _samples;

    /// <summary>Records an event now; returns its index.</summary>
    public int Mark(string name) => Mark(name, Stopwatch.GetTimestamp());

    public int Mark(string name, long at)
    {
        lock (_gate)
        {
            _events = [.. _events, new DrillEvent(name, at)];
            return _events.Length - 1;
        }
    }

    public int IndexOf(string name)
    {
        var events = Events;
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A call of <paramref name="member"/> failed (and will be retried) at <paramref name="at"/>.</summary>
    public void Failed(int member, long at)
    {
        if (Volatile.Read(ref _failedAt[member]) != 0)
        {
            return;
        }

        var events = Events;
        var index = -1;
        for (var i = events.Count - 1; i >= 0; i--)
        {
            if (events[i].At <= at)
            {
                index = i;
                break;
            }
        }

        _event[member] = index;
        Volatile.Write(ref _failedAt[member], at);
    }

    /// <summary>A call of <paramref name="member"/> succeeded at <paramref name="at"/>.</summary>
    public void Succeeded(int member, long at)
    {
        var failedAt = Volatile.Read(ref _failedAt[member]);
        if (failedAt == 0)
        {
            return;
        }

        _samples.Enqueue(new RecoverySample(member, _event[member], failedAt, at));
        Volatile.Write(ref _failedAt[member], 0);
    }

    /// <summary>Members whose outage, attributed to event <paramref name="eventIndex"/> or a later one, is still open.</summary>
    public int OpenSince(int eventIndex)
    {
        var open = 0;
        for (var m = 0; m < _failedAt.Length; m++)
        {
            if (Volatile.Read(ref _failedAt[m]) != 0 && _event[m] >= eventIndex)
            {
                open++;
            }
        }

        return open;
    }

    /// <summary>Members with an outage still open, whatever its event.</summary>
    public int Open() => OpenSince(int.MinValue);

    /// <summary>Each outage attributed to event <paramref name="eventIndex"/>: milliseconds from the member's first failed call to its first success.</summary>
    public IReadOnlyList<double> OutageMs(int eventIndex) =>
        eventIndex < 0 ? [] : [.. _samples.Where(s => s.Event == eventIndex).Select(s => Stopwatch.GetElapsedTime(s.FailedAt, s.RecoveredAt).TotalMilliseconds)];

    /// <summary>Milliseconds from event <paramref name="eventIndex"/> (or from <paramref name="from"/>, a later event) to each recovery of an outage attributed to it.</summary>
    public IReadOnlyList<double> RecoveryMs(int eventIndex, int? from = null)
    {
        var events = Events;
        if (eventIndex < 0 || eventIndex >= events.Count)
        {
            return [];
        }

        var origin = events[from ?? eventIndex].At;
        return [.. _samples.Where(s => s.Event == eventIndex).Select(s => Math.Max(0, Stopwatch.GetElapsedTime(origin, s.RecoveredAt).TotalMilliseconds))];
    }
}
