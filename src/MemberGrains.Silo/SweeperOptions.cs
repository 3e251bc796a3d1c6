namespace MemberGrains.Silo;

/// <summary>How the sweeper brings due members up to date (section <c>MemberGrains:Sweeper</c>).</summary>
public sealed class SweeperOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "MemberGrains:Sweeper";

    /// <summary>Seconds between sweeps (on the members' clock); 0 turns the sweeper off.</summary>
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>Member ids read per query.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Most members touched in one sweep; the rest wait for the next one.</summary>
    public int MaxMembersPerSweep { get; set; } = 10_000;

    /// <summary>Members touched at once.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>Forgotten member parts deleted per statement (each statement its own short transaction).</summary>
    public int PruneBatchSize { get; set; } = 1_000;

    /// <summary>Most forgotten member parts deleted in one sweep (0: none); the rest wait for the next one.</summary>
    public int MaxPrunedPerSweep { get; set; } = 100_000;
}
