namespace MemberGrains.Domain.Offers;

/// <summary>A budget that never runs out (tests, and callers that don't track budgets): always yes, token null.</summary>
public sealed class UnlimitedOfferBudget : IOfferBudget
{
    private UnlimitedOfferBudget()
    {
    }

    /// <summary>The one instance.</summary>
    public static UnlimitedOfferBudget Instance { get; } = new();

    public bool CanTake(string offerId, long amount) => true;

    public string? Take(string offerId, long amount) => null;
}
