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
/// <remarks>
/// <para>
/// The format is a contract, not a by-product of C# names. Every stored property of the state and
/// of every type it holds carries its JSON name in a <c>[JsonPropertyName]</c> (the camelCase name
/// the web defaults wrote before the names were pinned), so renaming a C# property changes nothing
/// stored. Enums are stored as numbers, as they always were; their members carry explicit values,
/// so reordering or inserting a member can't renumber stored data. The metadata is source-generated
/// (<see cref="MemberStateJsonContext"/>): no reflection at run time, and a type the state reaches
/// that can't be stored fails the build, not a commit.
/// </para>
/// <para>
/// Reading fails loudly, never drops silently: a document holding a property no type knows (one
/// renamed or removed in code, one written by a newer version) throws an
/// <see cref="InvalidDataException"/> naming it and its path, instead of loading a state without
/// it that the next commit would then write back without it. Any other unreadable document throws
/// the same way; so is a core document holding one of the collections stored as parts (they
/// would be lost), since those are left out of the core contract. Values derived from others are not data and never make a document unreadable:
/// <list type="bullet">
/// <item>Computed properties that are written (<see cref="MonthBucket.NetFen"/> "netFen",
/// <see cref="EarnBreakdown.Points"/> "points") stay in the contract read-only: written as before,
/// recognised and skipped when read (the value is recomputed).</item>
/// <item>Computed properties that are not written (<see cref="MemberState.Balance"/> "balance",
/// <see cref="PurchaseRecord.PaidFen"/> "paidFen", which was written for a while on 2 December 2026
/// before it was ignored) carry <c>[JsonIgnore]</c> and their pinned name: an ignored property
/// stays a known member of its type's contract, so a document that holds it still reads and
/// its value is skipped, while nothing writes it.</item>
/// </list>
/// Zero, false and null fields are left out when written and read back as their defaults, so a
/// missing property is never an error: documents written before a property existed still read.
/// </para>
/// </remarks>
public static class MemberStateJson
{
    // Zero, false and null fields are left out (they read back as their defaults): most fields of
    // a purchase or receipt are at their default. Web defaults (camelCase, case-insensitive reading,
    // numbers also from strings) as before; unknown properties are refused (see above).
    private static readonly JsonSerializerOptions Options = MemberStateJsonContext.Default.Options;

    // The core document: the state without the collections kept as parts.
    private static readonly JsonSerializerOptions CoreOptions = new(Options)
    {
        TypeInfoResolver = MemberStateJsonContext.Default.WithAddedModifier(LeaveOutParts),
    };

    private static readonly JsonTypeInfo<MemberState> Document = MemberStateJsonContext.Default.MemberState;

    private static readonly JsonTypeInfo<MemberState> Core = (JsonTypeInfo<MemberState>)CoreOptions.GetTypeInfo(typeof(MemberState));

    /// <summary>The whole state as one document (format 1, the <c>member.state</c> of schema 0002–0007).</summary>
    public static string Serialize(MemberState state) => JsonSerializer.Serialize(state, Document);

    /// <summary>A whole document read back; <see cref="InvalidDataException"/> when it can't be read completely.</summary>
    public static MemberState Deserialize(string json) =>
        Read(json, Document, "member.state") ?? throw new InvalidDataException("member.state is null.");

    /// <summary>The state without its lots, holds, purchases and requests (those are stored as parts).</summary>
    public static string SerializeCore(MemberState state) => JsonSerializer.Serialize(state, Core);

    /// <summary>A core document read back: the state with empty lots, holds, purchases and requests.</summary>
    public static MemberState DeserializeCore(string json) =>
        Read(json, Core, "member.state") ?? throw new InvalidDataException("member.state is null.");

    /// <summary>One part (a <see cref="PointsLot"/>, <see cref="RedemptionHold"/>, <see cref="PurchaseRecord"/> or <see cref="ProcessedRequest"/>) as its <c>member_part.data</c>.</summary>
    public static string SerializePart<T>(T part) => JsonSerializer.Serialize(part, PartInfo<T>());

    /// <summary>The same JSON as <see cref="SerializePart{T}"/>, as UTF-8 bytes (no string built).</summary>
    public static byte[] SerializePartUtf8<T>(T part) => JsonSerializer.SerializeToUtf8Bytes(part, PartInfo<T>());

    /// <summary>A part read back; <see cref="InvalidDataException"/> when it can't be read completely.</summary>
    public static T DeserializePart<T>(string json) =>
        Read(json, PartInfo<T>(), $"A member_part of {typeof(T).Name}") ?? throw new InvalidDataException($"A member_part of {typeof(T).Name} is null.");

    private static JsonTypeInfo<T> PartInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static T? Read<T>(string json, JsonTypeInfo<T> info, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, info);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{what} could not be read: {e.Message}", e);
        }
    }

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

/// <summary>
/// Source-generated metadata of the stored member state and its parts (every type they reach is
/// generated with them), with the store's options: web defaults, default values left out when
/// written, unknown properties refused when read.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(MemberState))]
[JsonSerializable(typeof(PointsLot))]
[JsonSerializable(typeof(RedemptionHold))]
[JsonSerializable(typeof(PurchaseRecord))]
[JsonSerializable(typeof(ProcessedRequest))]
internal sealed partial class MemberStateJsonContext : JsonSerializerContext;
