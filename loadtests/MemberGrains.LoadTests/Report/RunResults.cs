using System.Globalization;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Report;

/// <summary>What a run found: named figures (the <c>result</c> lines), report sections, the profile's time series, failures.</summary>
/// <param name="required">The figures printed first, NaN when missing; null: the load test's (<see cref="Required"/>).</param>
internal sealed class RunResults(IReadOnlyList<string>? required = null)
{
    /// <summary>The figures every run prints, in this order (missing ones are printed as NaN and fail the run).</summary>
    public static readonly string[] Required =
    [
        "reads_vs_ping_ratio", "read_p50_ms_c1", "quote_p50_ms_c1", "ping_p50_ms_c1", "accrue_p50_ms_c1",
        "accrue_tps_saturation", "accrue_p99_ms_saturation", "pgbench_tps", "accrue_vs_pgbench_ratio",
        "accrue_p99_ms_at_peak", "peak_p99_ms", "profile_p99_ms", "errors", "bytes_per_member",
        "activation_p99_ms", "lost", "duplicated", "unacked_in_ledger", "balance_mismatches",
        "screen_view_vs_ping_ratio", "quote_vs_read_ratio", "screen_view_p50_ms_c1", "watch_update_p99_ms", "watch_update_p50_ms",
        "watch_errors", "watch_missed",
        "pgbench_p50_ms_c1", "accrue_c1_vs_pgbench_c1_ratio", "pgbench_batched_tps", "accrue_vs_pgbench_batched_ratio",
        "accrue_p50_ms_fresh_c1", "accrue_p50_ms_history50", "history50_vs_fresh_ratio", "memory_bytes_per_member_history50",
    ];

    private readonly IReadOnlyList<string> _required = required ?? Required;
    private readonly Dictionary<string, double> _figures = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public List<ReportSection> Sections { get; } = [];

    /// <summary>Phases that failed, with why.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>The profile's per-second series, for the chart.</summary>
    public ProfileSeries? Series { get; set; }

    public IEnumerable<KeyValuePair<string, double>> Figures => _order.Select(n => new KeyValuePair<string, double>(n, _figures[n]));

    public void Set(string name, double value)
    {
        if (!_figures.ContainsKey(name))
        {
            _order.Add(name);
        }

        _figures[name] = value;
    }

    public double? Get(string name) => _figures.TryGetValue(name, out var v) ? v : null;

    public void Section(string title, string markdown) => Sections.Add(new ReportSection(title, markdown));

    /// <summary>One <c>result name value</c> line per figure: the required ones first, then the rest.</summary>
    public IEnumerable<string> ResultLines()
    {
        foreach (var name in _required.Concat(_order.Where(n => !_required.Contains(n))))
        {
            yield return $"result {name} {Format(name, Get(name) ?? double.NaN)}";
        }
    }

    /// <summary>Invariant culture; milliseconds and ratios with 3 decimals, rates and microseconds with 1, counts and bytes whole.</summary>
    public static string Format(string name, double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (name.Contains("_ms", StringComparison.Ordinal) || name.EndsWith("ratio", StringComparison.Ordinal))
        {
            return value.ToString("0.000", CultureInfo.InvariantCulture);
        }

        if (name.Contains("tps", StringComparison.Ordinal) || name.Contains("_cpu_us", StringComparison.Ordinal) || name.Contains("per_s", StringComparison.Ordinal))
        {
            return value.ToString("0.0", CultureInfo.InvariantCulture);
        }

        return value.ToString("0", CultureInfo.InvariantCulture);
    }
}
