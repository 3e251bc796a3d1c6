namespace MemberGrains.LoadTests;

/// <summary>Everything a run is told: sizes, durations, where Postgres and the report are. Immutable.</summary>
internal sealed record RunOptions
{
    public int Members { get; init; } = 1_000_000;

    public bool Quick { get; init; }

    public PopulationKind Population { get; init; } = PopulationKind.Synthetic;

    /// <summary>Folder or file of the UCI Online Retail data; null: ../shared/data/online-retail/ from the repository root.</summary>
    public string? UciPath { get; init; }

    /// <summary>Members made of each UCI customer.</summary>
    public int UciScale { get; init; } = 20;

    public TimeSpan ProfileDuration { get; init; } = TimeSpan.FromMinutes(10);

    public double PeakCheckoutsPerSecond { get; init; } = PeakDefinition.CheckoutsPerSecond;

    public double PeakScreenViewsPerSecond { get; init; } = PeakDefinition.ScreenViewsPerSecond;

    /// <summary>Screens watching checkouts in the profile: WatchMember streams open at once at most (0: none).</summary>
    public int Watchers { get; init; } = 300;

    /// <summary>Share of the profile's checkout sessions whose member a screen watches (while a watcher is free).</summary>
    public double WatchShare { get; init; } = 0.25;

    /// <summary>How long before its checkout a watched member's stream is opened.</summary>
    public TimeSpan WatchLead { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>An accrual a watching screen has not shown this long after the till's OK answer is missed.</summary>
    public TimeSpan WatchBound { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Skew of member popularity. 0.5 makes the busiest of 1,000,000 members about 700 times as
    /// busy as the median one (about ten checkouts a minute at the default peak): frequent shoppers, but
    /// people. At 1.0 one member would make 7 % of all the chain's checkouts.
    /// </summary>
    public double ZipfExponent { get; init; } = 0.5;

    /// <summary>Postgres to use; null starts a throwaway embedded server.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>Markdown report to (re)write; the chart goes next to it.</summary>
    public string? ReportPath { get; init; }

    /// <summary>Key=Value settings passed to the silo (as --Key=Value).</summary>
    public IReadOnlyList<string> SiloConfig { get; init; } = [];

    public int Seed { get; init; } = 20_251_111;

    /// <summary>Phase names not to run.</summary>
    public IReadOnlySet<string> Skip { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Running silos to drive (--silo-address); empty: the run starts its own silo as a child process.</summary>
    public IReadOnlyList<Uri> SiloAddresses { get; init; } = [];

    /// <summary>
    /// API key (scope admin) for the silos given by <see cref="SiloAddresses"/> (--key or
    /// MEMBERGRAINS_KEY); a run that starts its own silo creates its keys in its database instead.
    /// </summary>
    public string? Key { get; init; }

    /// <summary>Phases the run itself decided not to run, with why (see <see cref="ExternalSilos.Adjust"/>).</summary>
    public IReadOnlyDictionary<string, string> SkipNotes { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The command line as the user would type it, for the report.</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>Members activated one at a time to time cold activations.</summary>
    public int ColdActivations { get; init; } = 2_000;

    /// <summary>Callers activating the rest of the members.</summary>
    public int ActivationConcurrency { get; init; } = 64;

    /// <summary>Calls per operation in the one-caller phase.</summary>
    public int SingleClientCalls { get; init; } = 3_000;

    public int SaturationConcurrency { get; init; } = 64;

    /// <summary>Time each operation of the read saturation phase runs, over all its rounds.</summary>
    public TimeSpan SaturationDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Rounds the read saturation phase splits each operation's time into, every other round in
    /// reverse order (A B C, C B A, …): the machine's speed drifts within a phase (GC in the
    /// background, other tenants), and in rounds of alternating order every operation sees the
    /// same drift on average, so their ratios compare the calls rather than the moments.
    /// </summary>
    public int SaturationRounds { get; init; } = 2;

    public IReadOnlyList<int> AccrueConcurrency { get; init; } = [64, 256];

    public TimeSpan AccrueSaturationDuration { get; init; } = TimeSpan.FromSeconds(10);

    public IReadOnlyList<int> PgBenchClients { get; init; } = [16, 64];

    public TimeSpan PgBenchDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Members per transaction of pgbench's batched script (the member store's statement shape).
    /// 32: at saturation (64–256 callers) over the store's 2 writers a batch holds tens of changes.
    /// </summary>
    public int PgBenchBatchSize { get; init; } = 32;

    /// <summary>Clients of the batched pgbench runs: the store's 2 writers, and more for pgbench's sake; the best counts.</summary>
    public IReadOnlyList<int> PgBenchBatchedClients { get; init; } = [2, 8];

    /// <summary>Members given a purchase history in the history phase.</summary>
    public int HistoryMembers { get; init; } = 2_000;

    /// <summary>Purchases each history member is given (through Accrue) before it is measured.</summary>
    public int HistoryPurchases { get; init; } = 50;

    /// <summary>Callers giving the history members their purchases (each member's purchases in order, by one caller).</summary>
    public int HistoryConcurrency { get; init; } = 32;

    /// <summary>HTTP/2 connections the client spreads its calls over.</summary>
    public int Connections { get; init; } = 4;

    /// <summary>Sessions in flight at most in the open-loop profile; arrivals beyond are dropped and counted as errors.</summary>
    public int MaxInFlightSessions { get; init; } = 20_000;

    /// <summary>Members whose in-memory balance is compared with Postgres after the run.</summary>
    public int BalanceSample { get; init; } = 5_000;

    /// <summary>Deadline of every call.</summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The sizes of <c>--quick</c>: every figure within about three minutes on a 2-core machine.</summary>
    public RunOptions AsQuick() => this with
    {
        Quick = true,
        ColdActivations = 1_000,
        SingleClientCalls = 1_000,
        SaturationDuration = TimeSpan.FromSeconds(4),
        AccrueSaturationDuration = TimeSpan.FromSeconds(5),
        PgBenchDuration = TimeSpan.FromSeconds(5),
        Watchers = 100,
        HistoryMembers = 200,
    };

    public bool Runs(string phase) => !Skip.Contains(phase) && !SkipNotes.ContainsKey(phase);
}
