namespace MemberGrains.Domain.Offers;

public interface IOfferBudget
{
    /// <summary>Whether <paramref name="amount"/> units of the offer's budget could be taken now (quotes, screens).</summary>
    bool CanTake(string offerId, long amount);
    /// <summary>Takes <paramref name="amount"/> units; a token naming where they came from (written with the use), or null when the budget is exhausted.</summary>
    string? Take(string offerId, long amount);
}
