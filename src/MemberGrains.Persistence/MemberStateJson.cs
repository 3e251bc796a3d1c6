using System.Text.Json;
using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>How a <see cref="MemberState"/> is written into the <c>member.state</c> jsonb column.</summary>
public static class MemberStateJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(MemberState state) => JsonSerializer.Serialize(state, Options);

    public static MemberState Deserialize(string json) =>
        JsonSerializer.Deserialize<MemberState>(json, Options) ?? throw new InvalidDataException("member.state is null.");
}
