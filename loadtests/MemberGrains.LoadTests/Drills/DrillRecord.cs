using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// A mutation a drill sent: whose, its request id, what it was, the points its receipt moved
/// (0 unless acknowledged) and its outcome: acknowledged, refused (a wrong answer: the callers only
/// send requests that must succeed) or unknown (given up on after the retry bound).
/// </summary>
internal readonly record struct DrillRecord(string MemberId, string RequestId, MutationKind Kind, long Points, MutationOutcome Outcome)
{
    /// <summary>The ledger row an acknowledged mutation that moved points leaves, and the sign of its points; null for holds (Reserve, Release).</summary>
    public static (string Kind, int Sign)? LedgerRow(MutationKind kind) => kind switch
    {
        MutationKind.Enroll => ("Enrollment", 1),
        MutationKind.Accrue => ("Earn", 1),
        MutationKind.Activity => ("Activity", 1),
        MutationKind.Capture => ("Redeem", -1),
        MutationKind.Refund => ("RefundClawback", -1),
        _ => null,
    };
}
