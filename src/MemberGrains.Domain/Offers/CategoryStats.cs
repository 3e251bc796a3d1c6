using System.Text.Json.Serialization;

namespace MemberGrains.Domain.Offers;

/// <summary>What a member bought of one product category: enough for affinity tags and a usual buying interval.</summary>
public sealed class CategoryStats
{
    /// <summary>Purchase times kept per category (the latest ones).</summary>
    public const int TimesKept = 8;

    /// <summary>Purchases that held at least one line of the category.</summary>
    [JsonPropertyName("purchases")]
    public int Purchases { get; set; }

    /// <summary>What those lines cost (at the prices the till sent), in fen.</summary>
    [JsonPropertyName("spendFen")]
    public long SpendFen { get; set; }

    /// <summary>The latest purchase of the category.</summary>
    [JsonPropertyName("lastPurchasedAt")]
    public DateTimeOffset LastPurchasedAt { get; set; }

    /// <summary>Times of the latest purchases (at most <see cref="TimesKept"/>), oldest first.</summary>
    [JsonPropertyName("times")]
    public List<DateTimeOffset> Times { get; set; } = [];

    /// <summary>Counts a purchase made at <paramref name="at"/> (also one sent late: it goes where it belongs in time).</summary>
    public void Add(DateTimeOffset at, long amountFen)
    {
        Purchases++;
        SpendFen += amountFen;
        if (at > LastPurchasedAt)
        {
            LastPurchasedAt = at;
        }

        var index = Times.Count;
        while (index > 0 && Times[index - 1] > at)
        {
            index--;
        }

        if (index == 0 && Times.Count >= TimesKept)
        {
            return; // older than every kept time
        }

        Times.Insert(index, at);
        if (Times.Count > TimesKept)
        {
            Times.RemoveAt(0);
        }
    }
}
