using System.Text.Json;

namespace MemberGrains.Persistence;

/// <summary>How an event's details are written into the <c>member_event.data</c> jsonb column: one JSON object of strings.</summary>
internal static class MemberEventJson
{
    public static string SerializeData(IReadOnlyDictionary<string, string> data) => JsonSerializer.Serialize(data);

    public static IReadOnlyDictionary<string, string> DeserializeData(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
