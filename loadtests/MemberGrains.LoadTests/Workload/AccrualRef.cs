namespace MemberGrains.LoadTests.Workload;

/// <summary>An acknowledged accrual a later refund can name: whose, its request id, what the member paid (the basket less its offers' discounts) and its first line's amount (at most what was paid).</summary>
internal sealed record AccrualRef(int Member, string RequestId, long PaidFen, long FirstLineFen);
