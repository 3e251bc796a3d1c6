namespace MemberGrains.Domain.Rules;

/// <summary>
/// Store-local clock time of a zone. Converting through <see cref="TimeZoneInfo"/> costs about a
/// microsecond a time and a member's view converts dozens of times (every offer's day and
/// window), so it was the largest single cost of a screen view. Most zones a program names
/// (Asia/Shanghai, Asia/Kolkata, …) stopped changing their offset years ago: from just after their
/// last adjustment rule, <see cref="TimeZoneInfo"/> itself answers the base offset for every
/// instant, and so does this clock, by adding it. Zones that still change (daylight saving time
/// today) and instants before the tail go through <see cref="TimeZoneInfo"/> as before.
/// </summary>
internal sealed class ZoneClock
{
    private readonly TimeZoneInfo _zone;

    /// <summary>From this UTC instant on, the offset is <see cref="_fixedOffset"/>; <see cref="DateTime.MaxValue"/>: never.</summary>
    private readonly DateTime _fixedFromUtc;

    private readonly TimeSpan _fixedOffset;

    public ZoneClock(TimeZoneInfo zone)
    {
        _zone = zone;
        (_fixedFromUtc, _fixedOffset) = FixedTail(zone);
    }

    /// <summary>Whether the zone has a tail of constant offset (for tests).</summary>
    public bool HasFixedTail => _fixedFromUtc != DateTime.MaxValue;

    /// <summary>The store-local clock time of <paramref name="at"/> (kind Unspecified).</summary>
    public DateTime ToLocal(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return utc >= _fixedFromUtc
            ? DateTime.SpecifyKind(utc + _fixedOffset, DateTimeKind.Unspecified)
            : TimeZoneInfo.ConvertTime(at, _zone).DateTime;
    }

    /// <summary>
    /// The instant a store-local clock time names; a time the zone skips (a DST jump) moves on to
    /// the first valid quarter hour.
    /// </summary>
    public DateTimeOffset FromLocal(DateTime local)
    {
        if (HasFixedTail && local - _fixedOffset >= _fixedFromUtc)
        {
            return new DateTimeOffset(local, _fixedOffset);
        }

        while (_zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, _zone.GetUtcOffset(local));
    }

    private static (DateTime FromUtc, TimeSpan Offset) FixedTail(TimeZoneInfo zone)
    {
        var rules = zone.GetAdjustmentRules();
        if (rules.Length == 0)
        {
            return zone.SupportsDaylightSavingTime ? (DateTime.MaxValue, default) : (DateTime.MinValue, zone.BaseUtcOffset);
        }

        var lastEnd = rules.Max(r => r.DateEnd);
        if (lastEnd >= DateTime.MaxValue.Date.AddYears(-1))
        {
            return (DateTime.MaxValue, default);
        }

        // A rule's end is a local date; two days on is past it in any zone.
        var from = DateTime.SpecifyKind(lastEnd.Date.AddDays(2), DateTimeKind.Utc);
        var offset = zone.GetUtcOffset(from);
        // Belt and braces: the tail must really be constant where a member's dates fall.
        for (var years = 0; years <= 200; years += 5)
        {
            var probe = from.AddYears(years);
            if (zone.GetUtcOffset(probe) != offset || zone.GetUtcOffset(probe.AddMonths(6)) != offset)
            {
                return (DateTime.MaxValue, default);
            }
        }

        return (from, offset);
    }
}
