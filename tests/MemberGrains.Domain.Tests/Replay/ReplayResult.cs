namespace MemberGrains.Domain.Tests.Replay;

/// <summary>What replaying a plan through the engine produced.</summary>
internal sealed class ReplayResult
{
    /// <summary>Each member's view at the as-of instant, by customer number.</summary>
    public Dictionary<string, MemberView> Views { get; } = new(StringComparer.Ordinal);

    /// <summary>Operations the engine refused or failed on, with the member and request.</summary>
    public List<string> Failures { get; } = [];

    /// <summary>Points where the drained ledger stopped adding up to the member's balance.</summary>
    public List<string> LedgerMismatches { get; } = [];

    public int Accruals { get; set; }

    public int Refunds { get; set; }

    public long RefundedFen { get; set; }

    public long LedgerRows { get; set; }

    /// <summary>Events drained, by kind.</summary>
    public Dictionary<string, int> Events { get; } = new(StringComparer.Ordinal);
}
