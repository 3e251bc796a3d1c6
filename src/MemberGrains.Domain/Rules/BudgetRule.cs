namespace MemberGrains.Domain.Rules;

/// <summary>A campaign budget shared by the whole cluster: the host's <c>IOfferBudget</c> holds what is left of <see cref="Total"/>.</summary>
public sealed record BudgetRule(BudgetUnit Unit, long Total);
