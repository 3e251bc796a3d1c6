using System.Globalization;

namespace MemberGrains.LoadTests.Report;

/// <summary>A target of the load-test issue: a figure, how it compares with a threshold, and what it means.</summary>
internal sealed record Target(string Figure, string Meaning, string Comparison, double Threshold, string Unit)
{
    /// <summary>The targets, in its order.</summary>
    public static readonly IReadOnlyList<Target> All =
    [
        new("reads_vs_ping_ratio", "reads (GetMember, QuoteCheckout) vs empty-call throughput, same run", ">=", 0.7, "x"),
        new("screen_view_vs_ping_ratio", "store-screen views (GetMemberView) vs empty-call throughput, same run", ">=", 0.7, "x"),
        new("quote_vs_read_ratio", "QuoteCheckout vs GetMember throughput, same run", ">=", 0.8, "x"),
        new("read_p50_ms_c1", "GetMember p50 at concurrency 1", "<=", 0.25, "ms"),
        new("accrue_p50_ms_c1", "durable Accrue p50 at concurrency 1", "<", 1, "ms"),
        new("accrue_vs_pgbench_ratio", "Accrue at saturation vs pgbench's equivalent transaction", ">=", 2, "x"),
        new("accrue_vs_pgbench_batched_ratio", "Accrue at saturation vs pgbench running the member store's batched statements, member changes/s", ">=", 1, "x"),
        new("accrue_c1_vs_pgbench_c1_ratio", "durable Accrue p50 at one caller vs pgbench's plain transaction p50 at one client", "<=", 1.5, "x"),
        new("history50_vs_fresh_ratio", "Accrue p50 at one caller: members with 50 purchases vs fresh members, same phase", "<=", 1.2, "x"),
        new("accrue_p99_ms_saturation", "Accrue p99 at that saturation", "<=", 50, "ms"),
        new("bytes_per_member", "managed memory per resident member (1,000,000 in one silo)", "<=", 4096, "bytes"),
        new("activation_p99_ms", "cold activation p99", "<=", 5, "ms"),
        new("profile_p99_ms", "peak-day profile p99, all calls", "<=", 20, "ms"),
        new("accrue_p99_ms_at_peak", "Accrue p99 in the peak plateau", "<=", 20, "ms"),
        new("watch_update_p99_ms", "a watching screen shows an Accrue: p99 from the till's OK answer to the view", "<=", 50, "ms"),
        new("errors", "errors during the profile", "=", 0, string.Empty),
        new("watch_errors", "watching screens' streams that broke during the profile", "=", 0, string.Empty),
        new("watch_missed", "accruals a watching screen did not show within the bound", "=", 0, string.Empty),
        new("lost", "acknowledged mutations missing from the ledger", "=", 0, string.Empty),
        new("duplicated", "ledger rows duplicated", "=", 0, string.Empty),
        new("unacked_in_ledger", "refused mutations found in the ledger", "=", 0, string.Empty),
        new("balance_mismatches", "balances differing from their ledger (or from memory)", "=", 0, string.Empty),
    ];

    public string Goal => $"{Comparison} {RunResults.Format(Figure, Threshold)} {Unit}".TrimEnd();

    /// <summary>null when not measured.</summary>
    public bool? Met(double? value) => value is not { } v || double.IsNaN(v) ? null : Comparison switch
    {
        ">=" => v >= Threshold,
        "<=" => v <= Threshold,
        "<" => v < Threshold,
        _ => v == Threshold,
    };

    /// <summary>"met", "missed by …", or "not measured".</summary>
    public string Verdict(double? value)
    {
        var met = Met(value);
        if (met is null)
        {
            return "not measured";
        }

        if (met.Value)
        {
            return "met";
        }

        var v = value!.Value;
        var gap = Math.Abs(v - Threshold);
        var relative = Threshold != 0 ? string.Create(CultureInfo.InvariantCulture, $" ({v / Threshold:0.##}× the target)") : string.Empty;
        return $"missed by {RunResults.Format(Figure, gap)} {Unit}{relative}".Replace("  ", " ", StringComparison.Ordinal);
    }
}
