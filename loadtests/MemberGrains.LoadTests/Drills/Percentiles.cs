namespace MemberGrains.LoadTests.Drills;

/// <summary>Nearest-rank percentiles of a handful of samples (recovery times: tens to hundreds of values).</summary>
internal static class Percentiles
{
    /// <summary>The smallest sample with at least <paramref name="p"/> (0–1) of the samples at or below it; NaN without samples.</summary>
    public static double Of(IReadOnlyCollection<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
