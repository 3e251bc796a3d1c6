using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>A purchase's lines and total, in fen.</summary>
internal sealed record Basket(IReadOnlyList<PurchaseLine> Lines, long TotalFen);
