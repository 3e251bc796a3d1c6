namespace MemberGrains.LoadTests.Report;

/// <summary>The figures that are made of other figures: ratios, and memory per member with history.</summary>
internal static class Ratios
{
    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/>; null when either is missing or not finite, or the denominator is not positive.</summary>
    public static double? Of(double? numerator, double? denominator) =>
        numerator is { } n && denominator is { } d && double.IsFinite(n) && double.IsFinite(d) && d > 0 ? n / d : null;

    /// <summary>Sets <paramref name="name"/> to <paramref name="numerator"/> / <paramref name="denominator"/> (figures of <paramref name="results"/>) when both are there; returns it.</summary>
    public static double? Set(RunResults results, string name, string numerator, string denominator)
    {
        ArgumentNullException.ThrowIfNull(results);
        var ratio = Of(results.Get(numerator), results.Get(denominator));
        if (ratio is { } value)
        {
            results.Set(name, value);
        }

        return ratio;
    }

    /// <summary>
    /// Managed bytes per resident member once <paramref name="members"/> of them have a history:
    /// the plain member's bytes (<paramref name="bytesPerMember"/>, measured with every member
    /// resident) plus what the history added, (heap after − heap before) / members, both heaps after
    /// a full GC. Null when a part is missing.
    /// </summary>
    public static double? BytesPerMemberWithHistory(double? bytesPerMember, long heapBefore, long heapAfter, int members) =>
        bytesPerMember is { } plain && double.IsFinite(plain) && members > 0 ? plain + ((heapAfter - heapBefore) / (double)members) : null;
}
