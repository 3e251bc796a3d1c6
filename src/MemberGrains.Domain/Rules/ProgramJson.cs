using System.Text.Json;
using System.Text.Json.Serialization;

namespace MemberGrains.Domain.Rules;

/// <summary>The one JSON form of program documents: camelCase names and enum values, unknown fields refused.</summary>
public static class ProgramJson
{
    /// <summary>Options that read and write <see cref="LoyaltyProgram"/> documents.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Writes a program as an indented document.</summary>
    public static string Serialize(LoyaltyProgram program) => JsonSerializer.Serialize(program, Options);

    /// <summary>Reads a document strictly; throws <see cref="JsonException"/> at the first problem. Use <see cref="ProgramValidator"/> to list them all.</summary>
    public static LoyaltyProgram Deserialize(string json) =>
        JsonSerializer.Deserialize<LoyaltyProgram>(json, Options) ?? throw new JsonException("The program document is null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowDuplicateProperties = false,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
