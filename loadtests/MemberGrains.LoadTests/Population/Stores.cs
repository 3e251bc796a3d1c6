using System.Globalization;

namespace MemberGrains.LoadTests.Population;

/// <summary>The chain's store and till ids, built once.</summary>
internal static class Stores
{
    public const int Count = PeakDefinition.Stores;

    public const int Tills = PeakDefinition.TillsPerStore;

    private static readonly string[] StoreIds = [.. Enumerable.Range(0, Count + 1).Select(i => string.Create(CultureInfo.InvariantCulture, $"S{i:D4}"))];

    private static readonly string[] TillIds = [.. Enumerable.Range(0, Tills + 1).Select(i => string.Create(CultureInfo.InvariantCulture, $"T{i:D2}"))];

    /// <summary>Store 1..Count.</summary>
    public static string StoreId(int store) => StoreIds[store];

    /// <summary>Till 1..Tills.</summary>
    public static string TillId(int till) => TillIds[till];
}
