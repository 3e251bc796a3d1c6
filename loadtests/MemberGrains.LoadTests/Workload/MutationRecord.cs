namespace MemberGrains.LoadTests.Workload;

/// <summary>One mutation sent: whose, its request id, what it was, the points its receipt moved, and its outcome.</summary>
internal readonly record struct MutationRecord(int Member, string RequestId, MutationKind Kind, long Points, MutationOutcome Outcome);
