namespace MemberGrains.LoadTests.Workload;

/// <summary>An acknowledged accrual a later refund can name: whose, its request id, its total and its first line's amount.</summary>
internal sealed record AccrualRef(int Member, string RequestId, long TotalFen, long FirstLineFen);
