using System.Collections.Concurrent;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The members a screen watches right now (one watch per member at most), and the changes in
/// flight of every member. Every mutation the generator sends passes through <see cref="Sending"/>
/// and <see cref="Answered"/>, so a watch knows each change of its member sent while it is open; a
/// watch is opened only on a member with no change in flight, so it knows all of them.
/// </summary>
internal sealed class WatchRegistry(int members)
{
    private readonly int[] _inFlight = new int[members];
    private readonly ConcurrentDictionary<int, ScreenWatch> _watches = new();

    /// <summary>Watches open now.</summary>
    public int Count => _watches.Count;

    /// <summary>A new watch of <paramref name="member"/>, or null when it is watched already or has a change in flight.</summary>
    public ScreenWatch? TryOpen(int member)
    {
        var watch = new ScreenWatch(member);
        if (!_watches.TryAdd(member, watch))
        {
            return null;
        }

        // Registered first, counted second (Sending does the reverse): a change sent meanwhile is
        // either counted here or finds the watch.
        if (Volatile.Read(ref _inFlight[member]) > 0)
        {
            Close(watch);
            return null;
        }

        return watch;
    }

    public void Close(ScreenWatch watch)
    {
        ArgumentNullException.ThrowIfNull(watch);
        _watches.TryRemove(new KeyValuePair<int, ScreenWatch>(watch.Member, watch));
    }

    /// <summary>A change of <paramref name="member"/> is about to be sent.</summary>
    public ChangeTicket Sending(int member, bool accrue)
    {
        Interlocked.Increment(ref _inFlight[member]);
        return _watches.TryGetValue(member, out var watch)
            ? new ChangeTicket(member, watch, watch.Sending(accrue))
            : new ChangeTicket(member, null, 0);
    }

    /// <summary>The change's answer: its state, when it arrived, and its receipt when applied.</summary>
    public void Answered(in ChangeTicket ticket, ChangeState state, long answeredAt, Receipt? receipt)
    {
        ticket.Watch?.Answered(ticket.Change, state, answeredAt, receipt?.Balance ?? 0, receipt?.Points ?? 0);
        Interlocked.Decrement(ref _inFlight[ticket.Member]);
    }
}
