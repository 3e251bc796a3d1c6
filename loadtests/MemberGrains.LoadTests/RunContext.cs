using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests;

/// <summary>What every phase of a run shares.</summary>
internal sealed class RunContext
{
    public required RunOptions Options { get; init; }

    public required ConsoleProgress Progress { get; init; }

    public required RunResults Results { get; init; }

    public required RunDatabase Database { get; init; }

    public required Traffic Traffic { get; init; }

    public required string RunDirectory { get; init; }

    public required TimeProvider Time { get; init; }

    /// <summary>Members that have been activated by a call so far.</summary>
    public required bool[] Activated { get; init; }

    /// <summary>The state JSON of a freshly enrolled member (pgbench writes rows like it).</summary>
    public required string TypicalStateJson { get; init; }

    /// <summary>UCI replay plan, in UCI mode.</summary>
    public Population.UciPlan? Uci { get; init; }
}
