namespace MemberGrains.Domain.Rules;

/// <summary>The JSON names of an enum's values (<c>atRisk</c>, <c>monday</c>), computed once per type: messages on hot paths use them.</summary>
internal static class EnumText<TEnum>
    where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> Names = Enum.GetValues<TEnum>().ToDictionary(v => v, v => ValidationStructure.EnumName(v));

    public static string Name(TEnum value) => Names.TryGetValue(value, out var name) ? name : ValidationStructure.EnumName(value);
}
