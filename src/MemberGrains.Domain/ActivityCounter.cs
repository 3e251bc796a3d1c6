using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>
/// How often a member has done one kind of activity: on its latest store-local day, on the few
/// days before it (a till that was offline sends its activities late, dated when they happened),
/// and ever.
/// </summary>
public sealed class ActivityCounter
{
    /// <summary>Days before <see cref="Day"/> that are kept (the longest a till may hold an activity back, plus a day).</summary>
    public const int EarlierDaysKept = 8;

    /// <summary>The latest store-local day with an activity of this kind.</summary>
    [JsonPropertyName("day")]
    public DateOnly Day { get; set; }

    [JsonPropertyName("countOnDay")]
    public int CountOnDay { get; set; }

    /// <summary>Counts of the days shortly before <see cref="Day"/>, oldest first.</summary>
    [JsonPropertyName("earlier")]
    public List<ActivityDay> Earlier { get; set; } = [];

    [JsonPropertyName("total")]
    public int Total { get; set; }

    /// <summary>Activities of this kind on a store-local day.</summary>
    public int CountOn(DateOnly day) =>
        day == Day ? CountOnDay : Earlier.Find(d => d.Day == day)?.Count ?? 0;

    /// <summary>Counts one activity on a store-local day.</summary>
    public void Add(DateOnly day)
    {
        Total++;
        if (day == Day)
        {
            CountOnDay++;
        }
        else if (day > Day)
        {
            if (CountOnDay > 0)
            {
                Earlier.Add(new ActivityDay { Day = Day, Count = CountOnDay });
            }

            Day = day;
            CountOnDay = 1;
        }
        else if (Earlier.Find(d => d.Day == day) is { } earlier)
        {
            earlier.Count++;
        }
        else
        {
            Earlier.Add(new ActivityDay { Day = day, Count = 1 });
            Earlier.Sort((a, b) => a.Day.CompareTo(b.Day));
        }

        Earlier.RemoveAll(d => d.Day.DayNumber < Day.DayNumber - EarlierDaysKept);
    }
}
