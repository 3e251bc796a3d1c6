namespace MemberGrains.Abstractions;

/// <summary>Text in the screens' languages.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.LocalizedTextInfo")]
public sealed record LocalizedTextInfo
{
    [Id(0)] public string En { get; init; } = string.Empty;
    [Id(1)] public string ZhCn { get; init; } = string.Empty;
}
