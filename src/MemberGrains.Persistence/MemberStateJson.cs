using System.Text.Json;
using System.Text.Json.Serialization;
using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>How a <see cref="MemberState"/> is written into the <c>member.state</c> jsonb column.</summary>
public static class MemberStateJson
{
    // Zero, false and null fields are left out (they read back as their defaults): the whole state
    // is written on every change, and most fields of a purchase or receipt are at their default.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public static string Serialize(MemberState state) => JsonSerializer.Serialize(state, Options);

    public static MemberState Deserialize(string json) =>
        JsonSerializer.Deserialize<MemberState>(json, Options) ?? throw new InvalidDataException("member.state is null.");
}
