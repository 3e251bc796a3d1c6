using System.Text.Json.Serialization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>How often a member used one offer: ever, and in recent periods (those a late checkout can still land in).</summary>
public sealed class OfferUseCounter
{
    /// <summary>Periods kept: enough for checkouts sent up to a week late.</summary>
    public const int DaysKept = 10;

    [JsonPropertyName("total")]
    public int Total { get; set; }

    /// <summary>Uses by period, oldest first.</summary>
    [JsonPropertyName("periods")]
    public List<OfferPeriodUses> Periods { get; set; } = [];

    /// <summary>Uses in the period <paramref name="key"/> of kind <paramref name="period"/> (lifetime: all).</summary>
    public int CountIn(LimitPeriod period, long key)
    {
        if (period == LimitPeriod.Lifetime)
        {
            return Total;
        }

        foreach (var uses in Periods)
        {
            if (uses.Period == period && uses.Key == key)
            {
                return uses.Count;
            }
        }

        return 0;
    }

    /// <summary>Adds <paramref name="delta"/> uses (negative: given back) in a period; drops periods older than <paramref name="oldestKept"/> (a day number).</summary>
    public void Add(LimitPeriod period, long key, int delta, DateOnly oldestKept)
    {
        Total = Math.Max(0, Total + delta);
        if (period != LimitPeriod.Lifetime)
        {
            var found = Periods.Find(p => p.Period == period && p.Key == key);
            if (found is not null)
            {
                found.Count = Math.Max(0, found.Count + delta);
            }
            else if (delta > 0)
            {
                Periods.Add(new OfferPeriodUses { Period = period, Key = key, Count = delta });
            }
        }

        Periods.RemoveAll(p => p.Count == 0 || p.Key < Key(p.Period, oldestKept));
    }

    /// <summary>The key of the period of kind <paramref name="period"/> holding <paramref name="date"/>.</summary>
    public static long Key(LimitPeriod period, DateOnly date) => period switch
    {
        LimitPeriod.Day => date.DayNumber,
        LimitPeriod.Week => date.DayNumber - (((int)date.DayOfWeek + 6) % 7),
        LimitPeriod.Month => (date.Year * 100L) + date.Month,
        LimitPeriod.Year => date.Year,
        _ => 0,
    };
}
