using Grpc.Core;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// A drill's recovery figures, and the run's result figures over every drill. Recovery times are
/// measured per affected member (one whose calls failed after the fault) from the fault — the kill,
/// the SIGTERM — to its first success; for the postgres drill from the moment Postgres was started
/// again (the downtime itself is the drill's choice, not the cluster's).
/// </summary>
/// <param name="Affected">Members whose calls failed after the fault and answered again.</param>
/// <param name="Unrecovered">Members whose calls still failed when the load stopped.</param>
/// <param name="Samples">Milliseconds from the fault to each affected member's first success.</param>
/// <param name="RestartOutages">Members whose calls failed after the restart began: milliseconds from each one's first failure to its first success.</param>
/// <param name="HealthServingMs">From the restart (postgres: Postgres started again) until every silo answered SERVING.</param>
internal sealed record DrillFigures(int Affected, int Unrecovered, IReadOnlyList<double> Samples, IReadOnlyList<double> RestartOutages, double? HealthServingMs)
{
    public double P50 => Percentiles.Of(Samples.ToArray(), 0.50);

    public double P99 => Percentiles.Of(Samples.ToArray(), 0.99);

    public double Max => Samples.Count == 0 ? double.NaN : Samples.Max();

    /// <summary>The event a drill's recovery times start from.</summary>
    public static string? FaultEvent(string drill) => drill switch
    {
        DrillNames.Kill9 => "kill",
        DrillNames.Sigterm => "sigterm",
        DrillNames.Postgres => "postgres_stop",
        _ => null,
    };

    public static DrillFigures Of(DrillStats stats)
    {
        var recovery = stats.Recovery;
        var fault = FaultEvent(stats.Name) is { } name ? recovery.IndexOf(name) : -1;
        IReadOnlyList<double> samples = [];
        if (fault >= 0)
        {
            var start = stats.Name == DrillNames.Postgres ? recovery.IndexOf("postgres_start") : -1;
            samples = start < 0 ? recovery.RecoveryMs(fault) : [.. recovery.RecoveryMs(fault, from: start), .. recovery.RecoveryMs(start)];
        }

        return new DrillFigures(
            samples.Count,
            fault < 0 ? 0 : recovery.OpenSince(fault),
            samples,
            recovery.OutageMs(recovery.IndexOf("restart")),
            stats.Figures.TryGetValue("health_serving_ms", out var health) ? health : null);
    }

    /// <summary>The result figures: the required ones (<see cref="DrillRun.Required"/>) and the rest, over every drill run.</summary>
    public static IEnumerable<(string Name, double Value)> Totals(IReadOnlyList<DrillStats> drills, int planned)
    {
        var verified = drills.Where(d => d.Verification is not null).Select(d => d.Verification!).ToList();
        yield return ("lost", verified.Sum(v => v.Lost));
        yield return ("duplicated", verified.Sum(v => v.Duplicated));
        yield return ("wrong_answers", drills.Sum(d => d.WrongAnswers));
        yield return ("internal_errors", drills.Sum(d => d.InternalErrors));
        foreach (var (drill, prefix) in new[] { (DrillNames.Kill9, "failover_ms"), (DrillNames.Sigterm, "sigterm_recovery_ms"), (DrillNames.Postgres, "postgres_recovery_ms") })
        {
            var runs = drills.Where(d => d.Name == drill && d.Recovery.IndexOf(FaultEvent(drill)!) >= 0).ToList();
            if (runs.Count == 0)
            {
                continue;
            }

            var samples = runs.SelectMany(d => Of(d).Samples).ToArray();
            yield return ($"{prefix}_p99", samples.Length == 0 ? 0 : Percentiles.Of(samples, 0.99));
            yield return ($"{prefix}_p50", samples.Length == 0 ? 0 : Percentiles.Of(samples, 0.50));
            yield return ($"{prefix}_max", samples.Length == 0 ? 0 : samples.Max());
            yield return ($"{drill}_affected_members", samples.Length);
        }

        var health = drills.Where(d => d.Figures.ContainsKey("health_serving_ms")).Select(d => d.Figures["health_serving_ms"]).ToList();
        if (health.Count > 0)
        {
            yield return ("health_serving_ms_max", health.Max());
        }

        yield return ("acknowledged", drills.Sum(d => d.Acknowledged));
        yield return ("replayed", drills.Sum(d => d.Replayed));
        yield return ("gave_up", drills.Sum(d => d.GaveUp));
        yield return ("lost_rows", verified.Sum(v => v.LostRows + v.WrongPointsRows));
        yield return ("balance_mismatches", verified.Sum(v => v.LedgerMismatches + v.ModelMismatches));
        yield return ("memory_mismatches", verified.Sum(v => v.MemoryMismatches));
        yield return ("phantom_rows", verified.Sum(v => v.PhantomRows));
        yield return ("unrecovered_members", drills.Sum(d => Of(d).Unrecovered));
        var restarts = drills.SelectMany(d => Of(d).RestartOutages).ToArray();
        if (drills.Any(d => d.Recovery.IndexOf("restart") >= 0))
        {
            yield return ("restart_outage_ms_p99", restarts.Length == 0 ? 0 : Percentiles.Of(restarts, 0.99));
            yield return ("restart_outage_ms_max", restarts.Length == 0 ? 0 : restarts.Max());
            yield return ("restart_affected_members", restarts.Length);
        }

        yield return ("restart_failures", drills.Sum(d => d.Figures.GetValueOrDefault("restart_failures")));
        foreach (var (figure, name) in new[] { ("declared_dead_ms", "declared_dead_ms_max"), ("shutdown_ms", "sigterm_shutdown_ms_max") })
        {
            var values = drills.Where(d => d.Figures.ContainsKey(figure)).Select(d => d.Figures[figure]).ToList();
            if (values.Count > 0)
            {
                yield return (name, values.Max());
            }
        }

        var pgFromStop = drills.Where(d => d.Name == DrillNames.Postgres).SelectMany(d => d.Recovery.RecoveryMs(d.Recovery.IndexOf("postgres_stop"))).ToArray();
        if (pgFromStop.Length > 0)
        {
            yield return ("postgres_recovery_from_stop_ms_p99", Percentiles.Of(pgFromStop, 0.99));
        }

        yield return ("drills_completed", drills.Count(d => d.Name != DrillNames.Enrol && d.Completed));
        yield return ("drills_planned", planned);
        foreach (var code in drills.SelectMany(d => d.Codes).GroupBy(kv => kv.Key).OrderBy(g => g.Key))
        {
            yield return ($"status_{SnakeCase(code.Key)}", code.Sum(kv => kv.Value));
        }
    }

    /// <summary>DeadlineExceeded → deadline_exceeded, OK → ok.</summary>
    public static string SnakeCase(StatusCode code)
    {
        var name = code.ToString();
        return string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 && char.IsLower(name[i - 1]) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
    }
}
