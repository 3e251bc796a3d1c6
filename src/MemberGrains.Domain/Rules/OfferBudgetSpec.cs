namespace MemberGrains.Domain.Rules;

/// <summary>An offer's campaign budget as the program sets it; the host keeps the budget itself (see <see cref="Offers.IOfferBudget"/>).</summary>
public sealed record OfferBudgetSpec(string OfferId, BudgetRule Budget);
