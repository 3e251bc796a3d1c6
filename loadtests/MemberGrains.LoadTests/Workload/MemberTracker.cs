using System.Collections.Concurrent;
using MemberGrains.Domain.Rules;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// What the generator remembers per member so that it only sends requests that ought to succeed
/// (any error is then a real one):
/// <list type="bullet">
/// <item>one redemption or refund at a time per member (a refund between a quote and a capture
/// could take the points the hold was made against), taken with a compare-and-swap;</item>
/// <item>spend and refunded spend, so refunds stay under 40 % of a member's spend (the default
/// program declines redemptions above 50 %);</item>
/// <item>activities recorded on the current store-local day, against the program's daily and
/// per-member limits;</item>
/// <item>acknowledged accruals not yet refunded, oldest first, for refunds to name.</item>
/// </list>
/// </summary>
internal sealed class MemberTracker
{
    /// <summary>Most refunded share of a member's spend the generator allows itself, in percent.</summary>
    public const int MaxRefundedPercent = 40;

    private const int MaxRefundable = 200_000;
    private readonly int[] _busy;
    private readonly long[] _spentFen;
    private readonly long[] _refundedFen;
    private readonly long[] _activities;
    private readonly ConcurrentQueue<AccrualRef> _refundable = new();
    private readonly ProgramRules _program;
    private readonly (string Kind, int Bit, int MaxPerDay, int MaxPerMember)[] _kinds;

    public MemberTracker(int members, ProgramRules program)
    {
        _busy = new int[members];
        _spentFen = new long[members];
        _refundedFen = new long[members];
        _activities = new long[members];
        _program = program;
        // Up to four activity kinds, 4 bits of daily count and 4 of lifetime count each (see TryActivity).
        _kinds = [.. program.Activities.Values.Take(4).Select((a, i) => (a.Kind, i * 8, a.MaxPerDay, a.MaxPerMember))];
    }

    /// <summary>The activity kinds the generator may send.</summary>
    public IEnumerable<string> ActivityKinds => _kinds.Select(k => k.Kind);

    /// <summary>Takes the member for a redemption or refund; false if another one is under way.</summary>
    public bool TryLock(int member) => Interlocked.CompareExchange(ref _busy[member], 1, 0) == 0;

    public void Unlock(int member) => Volatile.Write(ref _busy[member], 0);

    /// <summary>An accrual was acknowledged: it counts as spend and may be refunded later.</summary>
    public void Accrued(AccrualRef accrual)
    {
        Interlocked.Add(ref _spentFen[accrual.Member], accrual.PaidFen);
        _refundable.Enqueue(accrual);
        while (_refundable.Count > MaxRefundable && _refundable.TryDequeue(out _))
        {
        }
    }

    /// <summary>
    /// An earlier accrual to refund and the amount (0 = all of it), with its member taken
    /// (<see cref="Unlock"/> after the refund); null when none can be refunded safely now.
    /// </summary>
    public (AccrualRef Accrual, long AmountFen)? TakeRefund(Random random)
    {
        for (var attempt = 0; attempt < 4 && _refundable.TryDequeue(out var accrual); attempt++)
        {
            if (!TryLock(accrual.Member))
            {
                _refundable.Enqueue(accrual);
                continue;
            }

            var spent = Interlocked.Read(ref _spentFen[accrual.Member]);
            var refunded = Interlocked.Read(ref _refundedFen[accrual.Member]);
            // Half the refunds return the whole purchase, half one line (or half the basket).
            var partial = accrual.FirstLineFen > 0 && accrual.FirstLineFen < accrual.PaidFen ? accrual.FirstLineFen : accrual.PaidFen / 2;
            foreach (var amount in random.Next(2) == 0 ? new[] { accrual.PaidFen, partial } : [partial])
            {
                if (amount > 0 && (refunded + amount) * 100 <= spent * MaxRefundedPercent)
                {
                    Interlocked.Add(ref _refundedFen[accrual.Member], amount);
                    return (accrual, amount == accrual.PaidFen ? 0 : amount);
                }
            }

            Unlock(accrual.Member);
        }

        return null;
    }

    /// <summary>
    /// Picks an activity kind the member can still earn today (store-local day of <paramref name="now"/>)
    /// and counts it; null when none is left or the day is about to change (the server might count it on the next day).
    /// </summary>
    public string? TryActivity(int member, DateTimeOffset now, Random random)
    {
        var local = TimeZoneInfo.ConvertTime(now, _program.TimeZone);
        var secondsToMidnight = (local.Date.AddDays(1) - local.DateTime).TotalSeconds;
        if (secondsToMidnight < 30 || local.TimeOfDay.TotalSeconds < 30 || _kinds.Length == 0)
        {
            return null;
        }

        var day = DateOnly.FromDateTime(local.DateTime).DayNumber;
        var first = random.Next(_kinds.Length);
        for (var i = 0; i < _kinds.Length; i++)
        {
            var (kind, bit, perDay, perMember) = _kinds[(first + i) % _kinds.Length];
            while (true)
            {
                var old = Interlocked.Read(ref _activities[member]);
                // Layout: bits 40.. = day number; per kind 8 bits at `bit`: low 4 = today's count, high 4 = lifetime count (saturating at 15).
                var counts = (old >> 40) == day ? old & 0xFF_FFFF_FFFFL : old & 0xF0F0_F0F0L;
                var today = (counts >> bit) & 0xF;
                var ever = (counts >> (bit + 4)) & 0xF;
                if ((perDay > 0 && today >= perDay) || (perMember > 0 && ever >= perMember) || today >= 15)
                {
                    break;
                }

                var next = ((long)day << 40) | (counts + (1L << bit) + (ever < 15 ? 1L << (bit + 4) : 0));
                if (Interlocked.CompareExchange(ref _activities[member], next, old) == old)
                {
                    return kind;
                }
            }
        }

        return null;
    }
}
