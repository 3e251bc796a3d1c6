using System.Diagnostics;
using System.Globalization;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// The faults, each run while the load runs: load for a while, the fault, a wait until the
/// cluster recovered (bounded), the repair (restart), more load. Timings go into the drill's
/// figures; events into its recovery tracker.
/// </summary>
internal static class DrillScenarios
{
    /// <summary>SIGKILL a silo hosting members; wait until the membership table declares it dead and every affected member answered again; restart it on its ports.</summary>
    public static async Task Kill9Async(DrillEnvironment env, DrillStats stats, int round, CancellationToken cancellationToken)
    {
        await Task.Delay(env.Options.LoadBefore, cancellationToken);
        var target = await PickTargetAsync(env, stats, preferred: (round - 1) % env.Cluster.Count, cancellationToken);
        var kill = stats.Recovery.Mark("kill");
        var killedAt = stats.Recovery.Events[kill].At;
        await env.Cluster.KillAsync(target, cancellationToken);
        env.Progress.Line($"  SIGKILL {env.Cluster.Describe(target)}");

        var dead = await ClusterProbe.WaitUntilAsync(
            () => ClusterProbe.DeclaredDeadAsync(env.Database.ConnectionString, env.ClusterId, env.Cluster.Ports[target].Silo, cancellationToken),
            env.Options.RecoveryBound,
            cancellationToken);
        if (dead is null)
        {
            stats.Facts["declared dead"] = $"not within {env.Options.RecoveryBound.TotalSeconds:0} s";
        }
        else
        {
            stats.Figures["declared_dead_ms"] = Stopwatch.GetElapsedTime(killedAt).TotalMilliseconds;
        }

        env.Progress.Line(dead is null
            ? $"  not declared dead in the membership table within {env.Options.RecoveryBound.TotalSeconds:0} s"
            : string.Create(CultureInfo.InvariantCulture, $"  declared dead in the membership table {stats.Figures["declared_dead_ms"]:N0} ms after the kill"));

        var declaredAt = Stopwatch.GetTimestamp();
        await AwaitRecoveryAsync(env, stats, kill, declaredAt, cancellationToken);
        await RestartAsync(env, stats, target, cancellationToken);
        await Task.Delay(env.Options.LoadAfter, cancellationToken);
    }

    /// <summary>SIGTERM a silo hosting members (a rolling restart's step), wait for its exit and the affected members, restart it. Captures go through another silo than their reservation.</summary>
    public static async Task SigtermAsync(DrillEnvironment env, DrillStats stats, int round, CancellationToken cancellationToken)
    {
        await Task.Delay(env.Options.LoadBefore, cancellationToken);
        var target = await PickTargetAsync(env, stats, preferred: round % env.Cluster.Count, cancellationToken);
        var term = stats.Recovery.Mark("sigterm");
        var sentAt = stats.Recovery.Events[term].At;
        env.Progress.Line($"  SIGTERM {env.Cluster.Describe(target)}");
        var exited = await env.Cluster.TerminateAsync(target, env.Options.ShutdownGrace, cancellationToken);
        stats.Figures["shutdown_ms"] = Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds;
        stats.Facts["shutdown"] = exited
            ? string.Create(CultureInfo.InvariantCulture, $"exited {stats.Figures["shutdown_ms"]:N0} ms after SIGTERM")
            : $"still running {env.Options.ShutdownGrace.TotalSeconds:0} s after SIGTERM: killed";
        env.Progress.Line($"  {stats.Facts["shutdown"]}");
        await AwaitRecoveryAsync(env, stats, term, Stopwatch.GetTimestamp(), cancellationToken);
        await RestartAsync(env, stats, target, cancellationToken);
        await Task.Delay(env.Options.LoadAfter, cancellationToken);
    }

    /// <summary>Stop Postgres (<c>pg_ctl stop -m fast</c>), keep it down for the downtime while watching the silos' health, start it, wait until every silo is SERVING and every affected member answered again.</summary>
    public static async Task PostgresAsync(DrillEnvironment env, DrillStats stats, CancellationToken cancellationToken)
    {
        await Task.Delay(env.Options.LoadBefore, cancellationToken);
        var stop = stats.Recovery.Mark("postgres_stop");
        var stoppedAt = stats.Recovery.Events[stop].At;
        await env.Database.StopServerAsync(cancellationToken);
        stats.Figures["postgres_stop_ms"] = Stopwatch.GetElapsedTime(stoppedAt).TotalMilliseconds;
        env.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"  PostgreSQL stopped (pg_ctl stop -m fast took {stats.Figures["postgres_stop_ms"]:N0} ms); down for {env.Options.PostgresDowntime.TotalSeconds:0} s"));

        // While it is down: does every silo say NOT_SERVING?
        var notServing = new double?[env.Cluster.Count];
        while (Stopwatch.GetElapsedTime(stoppedAt) < env.Options.PostgresDowntime)
        {
            for (var s = 0; s < env.Cluster.Count; s++)
            {
                if (notServing[s] is null && await ClusterProbe.HealthAsync(env.Clients, s, cancellationToken) != "Serving")
                {
                    notServing[s] = Stopwatch.GetElapsedTime(stoppedAt).TotalMilliseconds;
                }
            }

            await Task.Delay(250, cancellationToken);
        }

        stats.Facts["health while down"] = string.Join(", ", notServing.Select((ms, s) => ms is { } v
            ? string.Create(CultureInfo.InvariantCulture, $"silo {s + 1} not SERVING {v:N0} ms after pg_ctl stop began")
            : $"silo {s + 1} SERVING throughout"));

        var start = stats.Recovery.Mark("postgres_start");
        var startedAt = stats.Recovery.Events[start].At;
        await env.Database.StartAgainAsync(cancellationToken);
        stats.Figures["postgres_start_ms"] = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
        var serving = await ClusterProbe.AllServingAsync(env.Clients, env.Options.RecoveryBound, cancellationToken);
        if (serving is null)
        {
            stats.Facts["health after start"] = $"not every silo SERVING within {env.Options.RecoveryBound.TotalSeconds:0} s";
        }
        else
        {
            stats.Figures["health_serving_ms"] = Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds;
        }

        env.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"  PostgreSQL started again; every silo SERVING {(serving is null ? "never" : $"{stats.Figures["health_serving_ms"]:N0} ms after the start")}"));
        await AwaitRecoveryAsync(env, stats, stop, Stopwatch.GetTimestamp(), cancellationToken);
        await Task.Delay(env.Options.LoadAfter, cancellationToken);
    }

    /// <summary>
    /// Waits (bounded) until no member's outage from event <paramref name="eventIndex"/> on is open and
    /// every caller had a request acknowledged after <paramref name="since"/>.
    /// </summary>
    private static async Task AwaitRecoveryAsync(DrillEnvironment env, DrillStats stats, int eventIndex, long since, CancellationToken cancellationToken)
    {
        var at = stats.Recovery.Events[eventIndex].At;
        var recovered = await ClusterProbe.WaitUntilAsync(
            () => Task.FromResult(stats.Recovery.OpenSince(eventIndex) == 0 && env.Load.AllSucceededSince(since)),
            env.Options.RecoveryBound,
            cancellationToken);
        if (recovered is null)
        {
            stats.Facts["recovered"] = $"not within {env.Options.RecoveryBound.TotalSeconds:0} s: {stats.Recovery.OpenSince(eventIndex)} member(s) still failing";
            env.Progress.Line($"  {stats.Facts["recovered"]}");
        }
        else
        {
            stats.Figures["recovered_ms"] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
            env.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"  every affected member answering again, every caller acknowledged: {stats.Figures["recovered_ms"]:N0} ms after {stats.Recovery.Events[eventIndex].Name}"));
        }
    }

    /// <summary>Starts the silo again on its ports (up to three attempts, each failure recorded) and waits until every silo is SERVING.</summary>
    private static async Task RestartAsync(DrillEnvironment env, DrillStats stats, int silo, CancellationToken cancellationToken)
    {
        var restart = stats.Recovery.Mark("restart");
        var at = stats.Recovery.Events[restart].At;
        var attempts = await env.Cluster.StartWithRetriesAsync(silo, 3, (attempt, why) =>
        {
            stats.Facts[$"restart attempt {attempt}"] = $"failed: {why}";
            stats.Figures["restart_failures"] = stats.Figures.GetValueOrDefault("restart_failures") + 1;
            env.Progress.Line($"  restart attempt {attempt} of {env.Cluster.Describe(silo)} failed: {why}");
        }, cancellationToken);
        stats.Figures["restart_attempts"] = attempts;
        var serving = await ClusterProbe.AllServingAsync(env.Clients, env.Options.RecoveryBound, cancellationToken);
        if (serving is null)
        {
            stats.Facts["health after restart"] = $"not every silo SERVING within {env.Options.RecoveryBound.TotalSeconds:0} s";
        }
        else
        {
            stats.Figures["health_serving_ms"] = Stopwatch.GetElapsedTime(at).TotalMilliseconds;
        }

        env.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"  restarted {env.Cluster.Describe(silo)}, pid {env.Cluster.ProcessId(silo)}; every silo SERVING {(serving is null ? "never" : $"{stats.Figures["health_serving_ms"]:N0} ms after the restart began")}"));
    }

    /// <summary>The preferred silo if it hosts members, else the next one that does (Diagnostics/GetSiloStats); records the choice.</summary>
    private static async Task<int> PickTargetAsync(DrillEnvironment env, DrillStats stats, int preferred, CancellationToken cancellationToken)
    {
        var count = env.Cluster.Count;
        var activations = new long[count];
        for (var s = 0; s < count; s++)
        {
            activations[s] = await ClusterProbe.MemberActivationsAsync(env.Clients, s, cancellationToken);
        }

        var target = Enumerable.Range(0, count).Select(i => (preferred + i) % count).FirstOrDefault(s => activations[s] > 0, preferred);
        stats.Facts["target"] = $"{env.Cluster.Describe(target)}, pid {env.Cluster.ProcessId(target)}";
        stats.Figures["target_member_activations"] = activations[target];
        stats.Facts["member activations before the fault"] = string.Join(", ", activations.Select((a, s) => string.Create(CultureInfo.InvariantCulture, $"silo {s + 1}: {a}")));
        return target;
    }
}
