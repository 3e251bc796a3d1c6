using System.Globalization;
using System.Text;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Report;

/// <summary>Small Markdown builders for the report.</summary>
internal static class Markdown
{
    public static string Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        text.Append('|').AppendJoin('|', headers.Select(h => h.Length > 0 && char.IsDigit(h[0]) ? " ---: " : " --- ")).AppendLine("|");
        foreach (var row in rows)
        {
            text.Append("| ").AppendJoin(" | ", row.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))).AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>One row per operation: calls, calls/s, p50/p90/p99/p99.9/max (ms), and errors unless <paramref name="errors"/> is false.</summary>
    public static string Latencies(IEnumerable<LatencySummary> summaries, string? firstColumn = null, bool errors = true) => Table(
        [firstColumn ?? "operation", "calls", "calls/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", .. errors ? new[] { "errors" } : []],
        summaries.Select(s => (IReadOnlyList<string>)
        [
            s.Operation,
            N(s.Calls),
            N(s.PerSecond, "N1"),
            Ms(s.P50Ms),
            Ms(s.P90Ms),
            Ms(s.P99Ms),
            Ms(s.P999Ms),
            Ms(s.MaxMs),
            .. errors ? new[] { N(s.Errors) } : [],
        ]));

    public static string N(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";
}
