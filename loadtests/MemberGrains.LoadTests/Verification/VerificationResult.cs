namespace MemberGrains.LoadTests.Verification;

/// <summary>What the ledger check found. Every count but the first four must be zero.</summary>
internal sealed record VerificationResult
{
    public long Acknowledged { get; init; }

    public long Failed { get; init; }

    public long Unknown { get; init; }

    /// <summary>Acknowledged mutations that moved points (so must have a ledger row).</summary>
    public long LedgerBearing { get; init; }

    /// <summary>Acknowledged point movements with no ledger row of their kind.</summary>
    public long Lost { get; init; }

    /// <summary>(member, request id, kind) with more than one ledger row.</summary>
    public long Duplicated { get; init; }

    /// <summary>Ledger rows of the run whose request was refused or never sent.</summary>
    public long UnackedInLedger { get; init; }

    /// <summary>Ledger rows (other than expiry) carrying a Reserve or Release request id: holds move no points.</summary>
    public long HoldLedgerRows { get; init; }

    /// <summary>Touched members checked against their ledger.</summary>
    public long TouchedMembers { get; init; }

    /// <summary>Touched members whose member.balance differs from the sum of their ledger.</summary>
    public long LedgerBalanceMismatches { get; init; }

    /// <summary>Members read with GetMember to compare the in-memory balance with Postgres.</summary>
    public long MemorySampled { get; init; }

    /// <summary>Sampled members whose GetMember balance differs from member.balance.</summary>
    public long MemoryBalanceMismatches { get; init; }

    /// <summary>Examples of what went wrong, for the report.</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];

    public long BalanceMismatches => LedgerBalanceMismatches + MemoryBalanceMismatches;

    public bool Passed => Lost == 0 && Duplicated == 0 && UnackedInLedger == 0 && HoldLedgerRows == 0 && BalanceMismatches == 0;
}
