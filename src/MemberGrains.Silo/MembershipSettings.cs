namespace MemberGrains.Silo;

/// <summary>
/// Failure detection (<c>MemberGrains:Membership</c>). Each silo probes the others every
/// <see cref="ProbeSeconds"/>; a silo that misses <see cref="MissedProbes"/> probes in a row is
/// suspected, and <see cref="DeathVotes"/> suspicions declare it dead; its members activate
/// elsewhere once the grain directory's lease on them ends (<see cref="MemoryLeaseSeconds"/> after
/// the failure-detection window). With the defaults a killed silo's members answer again about 2–3 s
/// after the kill (docs/reliability.md measures it). Lower values react faster but risk declaring a silo dead
/// during a long pause (a full GC on a busy 2-core machine); higher ones the reverse.
/// </summary>
public sealed class MembershipSettings
{
    /// <summary>Seconds between probes, and how long a probe may take (Orleans' ProbeTimeout, upper bound of its adaptive timeout). Orleans' default is 5.</summary>
    public double ProbeSeconds { get; set; } = 1;

    /// <summary>Missed probes in a row before a silo suspects another (Orleans' NumMissedProbesLimit; its default is 3).</summary>
    public int MissedProbes { get; set; } = 2;

    /// <summary>Suspicions that declare a silo dead (Orleans' NumVotesForDeathDeclaration; its default is 2). Orleans asks for at most half the live silos, rounded up: one vote in a cluster of two.</summary>
    public int DeathVotes { get; set; } = 2;

    /// <summary>Seconds between reads of the membership table besides gossip (Orleans' TableRefreshTimeout; its default is 60).</summary>
    public double TableRefreshSeconds { get; set; } = 5;

    /// <summary>
    /// How long a silo answers reads from memory after it last read its own membership row as
    /// Active (it reads it three times as often). A crashed silo's members activate elsewhere this
    /// long (plus 0.1 s) after its failure-detection window, so a silo declared dead while still
    /// running never answers from a copy another silo has changed since.
    /// </summary>
    public double MemoryLeaseSeconds { get; set; } = 0.3;
}
