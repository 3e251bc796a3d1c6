namespace MemberGrains.Domain.Rules;

/// <summary>When, within its dates, an offer runs (store-local, the program's time zone). Every part given must hold.</summary>
public sealed record OfferSchedule
{
    /// <summary>Only on these weekdays; null or empty: every day.</summary>
    public IReadOnlyList<DayOfWeek>? DaysOfWeek { get; init; }

    /// <summary>Only on these days of the month (1–31); null or empty: every day.</summary>
    public IReadOnlyList<int>? DaysOfMonth { get; init; }

    /// <summary>From this time of day ("HH:mm", included); given together with <see cref="TimeTo"/>.</summary>
    public string? TimeFrom { get; init; }

    /// <summary>Until this time of day ("HH:mm", excluded; "24:00" is midnight at the end of the day).</summary>
    public string? TimeTo { get; init; }
}
