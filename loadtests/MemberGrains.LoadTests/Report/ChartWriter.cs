using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Report;

/// <summary>Draws the profile chart (SVG) next to the report.</summary>
internal static class ChartWriter
{
    /// <summary>Writes the chart; returns its path, or null when no chart can be drawn.</summary>
    public static string? Write(ProfileSeries series, string path)
    {
        // TODO: draw with SvgChart (Report/SvgChart.cs, from the lt-parts branch) once it is merged.
        _ = series;
        _ = path;
        return null;
    }
}
