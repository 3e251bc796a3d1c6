using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>Activities of one kind on one store-local day.</summary>
public sealed class ActivityDay
{
    [JsonPropertyName("day")]
    public DateOnly Day { get; set; }

    [JsonPropertyName("count")]
    public int Count { get; set; }
}
