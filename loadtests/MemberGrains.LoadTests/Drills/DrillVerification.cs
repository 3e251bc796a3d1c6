namespace MemberGrains.LoadTests.Drills;

/// <summary>What the quiet check after a drill found. <see cref="Lost"/>, <see cref="Duplicated"/> and <see cref="PhantomRows"/> must be zero.</summary>
internal sealed record DrillVerification
{
    /// <summary>Mutations the drill sent.</summary>
    public long Mutations { get; init; }

    public long Acknowledged { get; init; }

    /// <summary>Acknowledged mutations that moved points: each must have exactly one ledger row of its kind.</summary>
    public long LedgerBearing { get; init; }

    /// <summary>Refused mutations (wrong answers: each was one the model said must succeed).</summary>
    public long Refused { get; init; }

    /// <summary>Mutations given up on after the retry bound (either outcome is allowed).</summary>
    public long Unknown { get; init; }

    /// <summary>Acknowledged point movements with no ledger row of their kind.</summary>
    public long LostRows { get; init; }

    /// <summary>Acknowledged point movements whose one ledger row holds other points than the receipt said.</summary>
    public long WrongPointsRows { get; init; }

    /// <summary>(member, request id, kind) of the drill's requests with more than one ledger row.</summary>
    public long Duplicated { get; init; }

    /// <summary>Ledger rows of refused requests, or of holds (Reserve, Release move no points).</summary>
    public long PhantomRows { get; init; }

    /// <summary>Members of the run checked: member.balance = sum(points_ledger.points).</summary>
    public long MembersChecked { get; init; }

    public long LedgerMismatches { get; init; }

    /// <summary>Members whose acknowledged balance (the callers' model) was compared with Postgres.</summary>
    public long ModelChecked { get; init; }

    /// <summary>Members whose last acknowledged balance differs from Postgres.</summary>
    public long ModelMismatches { get; init; }

    /// <summary>GetMember answers read (every member through every live silo).</summary>
    public long MemoryReadings { get; init; }

    /// <summary>GetMember answers (member, silo) that differ from Postgres or could not be read.</summary>
    public long MemoryMismatches { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];

    public long BalanceMismatches => LedgerMismatches + ModelMismatches + MemoryMismatches;

    /// <summary>Acknowledged movements missing or wrong in the ledger, plus every balance mismatch.</summary>
    public long Lost => LostRows + WrongPointsRows + BalanceMismatches;

    public bool Passed => Lost == 0 && Duplicated == 0 && PhantomRows == 0;
}
