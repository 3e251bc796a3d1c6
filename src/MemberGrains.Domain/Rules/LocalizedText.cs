using System.Text.Json.Serialization;

namespace MemberGrains.Domain.Rules;

/// <summary>Text a member reads, in English and in Simplified Chinese; screens pick one.</summary>
public sealed record LocalizedText
{
    /// <summary>English.</summary>
    [JsonPropertyName("en")]
    public required string En { get; init; }

    /// <summary>Simplified Chinese (China).</summary>
    [JsonPropertyName(ZhCnName)]
    public required string ZhCn { get; init; }

    /// <summary>The JSON name of <see cref="ZhCn"/>.</summary>
    public const string ZhCnName = "zh-CN";
}
