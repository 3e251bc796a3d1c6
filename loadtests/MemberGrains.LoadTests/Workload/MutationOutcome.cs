namespace MemberGrains.LoadTests.Workload;

/// <summary>What the generator knows of a mutation it sent.</summary>
internal enum MutationOutcome
{
    /// <summary>Answered OK: it must be in Postgres, exactly once.</summary>
    Acknowledged,

    /// <summary>Refused with a definite status (the server says nothing was applied): it must not be in Postgres.</summary>
    Failed,

    /// <summary>No definite answer (deadline exceeded, cancelled, connection lost): either is allowed.</summary>
    Unknown,
}
