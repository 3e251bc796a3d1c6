namespace MemberGrains.Domain.Rules;

/// <summary>Spend at least <see cref="MinSpendFen"/>, save <see cref="OffFen"/>.</summary>
public sealed record AmountStep(long MinSpendFen, long OffFen);
