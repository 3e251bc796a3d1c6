namespace MemberGrains.Domain.Tests.Replay;

/// <summary>The file mapped to engine operations: purchases, the refunds matched to them, and how the mapping went.</summary>
internal sealed record ReplayPlan(IReadOnlyList<PlannedPurchase> Purchases, IReadOnlyList<RefundMatch> Refunds, MappingStats Stats);
