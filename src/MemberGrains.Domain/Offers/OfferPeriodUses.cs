using System.Text.Json.Serialization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>A member's uses of an offer in one store-local period.</summary>
public sealed class OfferPeriodUses
{
    [JsonPropertyName("period")]
    public LimitPeriod Period { get; set; }

    /// <summary>Which period: the day number of the day or of the week's Monday, yyyymm, or the year.</summary>
    [JsonPropertyName("key")]
    public long Key { get; set; }

    [JsonPropertyName("count")]
    public int Count { get; set; }
}
