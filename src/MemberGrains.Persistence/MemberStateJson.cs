using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>
/// How a <see cref="MemberState"/> is written to Postgres. Since schema 0008 a member is stored as
/// its core document (<c>member.state</c>: everything but the keyed collections that grow with the
/// member's history) plus one <c>member_part</c> row per lot, hold, purchase kept for refunds and
/// answered request, so a change writes only the parts it changed. The whole document (format 1,
/// before 0008) still reads, for migrations and fixtures.
/// </summary>
public static class MemberStateJson
{
    // Zero, false and null fields are left out (they read back as their defaults): most fields of
    // a purchase or receipt are at their default.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    // The core document: the state without the collections kept as parts.
    private static readonly JsonSerializerOptions CoreOptions = new(Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutParts } },
    };

    /// <summary>The whole state as one document (format 1, the <c>member.state</c> of schema 0002–0007).</summary>
    public static string Serialize(MemberState state) => JsonSerializer.Serialize(state, Options);

    public static MemberState Deserialize(string json) =>
        JsonSerializer.Deserialize<MemberState>(json, Options) ?? throw new InvalidDataException("member.state is null.");

    /// <summary>The state without its lots, holds, purchases and requests (those are stored as parts).</summary>
    public static string SerializeCore(MemberState state) => JsonSerializer.Serialize(state, CoreOptions);

    /// <summary>A core document read back: the state with empty lots, holds, purchases and requests.</summary>
    public static MemberState DeserializeCore(string json) =>
        JsonSerializer.Deserialize<MemberState>(json, CoreOptions) ?? throw new InvalidDataException("member.state is null.");

    /// <summary>One part (a lot, hold, purchase or answered request) as its <c>member_part.data</c>.</summary>
    public static string SerializePart<T>(T part) => JsonSerializer.Serialize(part, Options);

    public static T DeserializePart<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"A member_part of {typeof(T).Name} is null.");

    private static void LeaveOutParts(JsonTypeInfo info)
    {
        if (info.Type != typeof(MemberState))
        {
            return;
        }

        foreach (var property in info.Properties.Where(p => MemberParts.IsPartCollection(p.Name)).ToList())
        {
            info.Properties.Remove(property);
        }
    }
}
