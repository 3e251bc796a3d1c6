using System.Globalization;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Report;

/// <summary>
/// Draws the profile chart (SVG, via <see cref="SvgChart"/>): throughput per operation, latency
/// p50/p99 of all calls and Accrue p99 (log scale), with the ramp / peak / cool-down bands.
/// </summary>
internal static class ChartWriter
{
    /// <summary>Writes the chart; returns its path.</summary>
    public static string Write(ProfileSeries series, string path)
    {
        File.WriteAllText(path, Render(series));
        return path;
    }

    public static string Render(ProfileSeries series)
    {
        var throughput = series.Throughput
            .Where(kv => kv.Value.Any(v => v > 0))
            .Select(kv => new ChartSeries(kv.Key, Points(series.Seconds, kv.Value, positiveOnly: false)))
            .ToList();
        var latency = new List<ChartSeries>
        {
            new("p50, all calls", Points(series.Seconds, series.AllP50Ms, positiveOnly: true)),
            new("p99, all calls", Points(series.Seconds, series.AllP99Ms, positiveOnly: true)),
            new("p99, Accrue", Points(series.Seconds, series.AccrueP99Ms, positiveOnly: true)),
        };
        var bands = new List<ChartBand>
        {
            new(0, series.PeakStartSeconds, "ramp"),
            new(series.PeakStartSeconds, series.PeakEndSeconds, "peak"),
            new(series.PeakEndSeconds, series.DurationSeconds, "cool-down"),
        };
        return SvgChart.Render(
            string.Create(CultureInfo.InvariantCulture, $"Peak-day profile, {series.DurationSeconds / 60:0.##} min, per second"),
            "seconds into the profile",
            [new ChartPanel("calls/s", throughput), new ChartPanel("latency ms (log)", latency, LogScale: true)],
            bands);
    }

    private static List<(double X, double Y)> Points(List<double> x, List<double> y, bool positiveOnly) =>
        [.. x.Zip(y).Select(p => (p.First, positiveOnly && p.Second <= 0 ? double.NaN : p.Second))];
}
