namespace MemberGrains.LoadTests.Phases;

/// <summary>Phase 8: pgbench running the equivalent durable transaction (update the member row + insert a ledger row) on the same Postgres.</summary>
internal static class PgBenchPhase
{
    public static Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        // TODO: call PgBench.RunAsync (Baselines/PgBench.cs, from the lt-parts branch) once it is merged.
        _ = cancellationToken;
        run.Results.Section("Baseline: pgbench", "Not run: the pgbench runner is not merged yet.");
        return Task.CompletedTask;
    }
}
