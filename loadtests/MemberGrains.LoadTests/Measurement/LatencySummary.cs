using HdrHistogram;

namespace MemberGrains.LoadTests.Measurement;

/// <summary>An operation's figures over a span of time: calls, throughput, percentiles (ms), errors.</summary>
internal sealed record LatencySummary(
    string Operation,
    long Calls,
    double Seconds,
    double P50Ms,
    double P90Ms,
    double P99Ms,
    double P999Ms,
    double MaxMs,
    long Errors)
{
    public double PerSecond => Seconds > 0 ? Calls / Seconds : 0;

    public static LatencySummary Of(string operation, HistogramBase histogram, double seconds, long errors) => new(
        operation,
        histogram.TotalCount,
        seconds,
        Ms(histogram, 50),
        Ms(histogram, 90),
        Ms(histogram, 99),
        Ms(histogram, 99.9),
        histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1000.0,
        errors);

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
