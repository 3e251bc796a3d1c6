namespace MemberGrains.LoadTests.Drills;

/// <summary>What a drills run is told: sizes, durations, bounds, where Postgres and the report are. Immutable.</summary>
internal sealed record DrillOptions
{
    public bool Short { get; init; }

    /// <summary>Members enrolled through the API and driven by the callers.</summary>
    public int Members { get; init; } = 300;

    /// <summary>Callers; each drives its own share of the members, one request at a time.</summary>
    public int Callers { get; init; } = 24;

    /// <summary>How many times each drill runs.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Drills to run, in this order.</summary>
    public IReadOnlyList<string> Drills { get; init; } = DrillNames.All;

    /// <summary>Postgres to use; null starts a throwaway embedded server (needed for the postgres drill).</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Markdown report to (re)write between its generated markers.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Key=Value settings passed to every silo (after the drills' own).</summary>
    public IReadOnlyList<string> SiloConfig { get; init; } = [];

    public int Seed { get; init; } = 20_251_111;

    /// <summary>The command line as the user would type it, for the report.</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>Deadline of every call.</summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A request is retried (same request id, another silo) until it succeeds or this much time has passed.</summary>
    public TimeSpan RetryBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause of a caller between two steps (a step is one to three requests of one member).</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Load before the fault of each drill.</summary>
    public TimeSpan LoadBefore { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>Load after the cluster recovered (and after a restart) before the drill's verification.</summary>
    public TimeSpan LoadAfter { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>How long Postgres stays down in the postgres drill.</summary>
    public TimeSpan PostgresDowntime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for the cluster to recover (a dead silo declared, every affected member answering again, every silo SERVING).</summary>
    public TimeSpan RecoveryBound { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for a SIGTERMed silo to exit.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The sizes of <c>--short</c>: every drill once, about 3.5 minutes on a 2-core machine.</summary>
    public DrillOptions AsShort() => this with
    {
        Short = true,
        Members = 120,
        Rounds = 1,
        LoadBefore = TimeSpan.FromSeconds(4),
        LoadAfter = TimeSpan.FromSeconds(4),
    };
}
