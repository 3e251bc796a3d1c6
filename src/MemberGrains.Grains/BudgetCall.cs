using MemberGrains.Domain.Offers;

namespace MemberGrains.Grains;

/// <summary>
/// The silo's budgets as one member's change sees them: takes go to <see cref="OfferBudgets"/>,
/// and takes it refused are noted, so the grain can decide the change again once a new lease has
/// come instead of telling a till a campaign is spent while its budget is only on its way.
/// </summary>
internal sealed class BudgetCall(OfferBudgets budgets) : IOfferBudget
{
    private List<(string OfferId, long Amount)>? _refused;

    /// <summary>Takes refused since <see cref="Reset"/> (null: none).</summary>
    public IReadOnlyList<(string OfferId, long Amount)>? Refused => _refused;

    public void Reset() => _refused?.Clear();

    public bool CanTake(string offerId, long amount) => budgets.CanTake(offerId, amount);

    public string? Take(string offerId, long amount)
    {
        var token = budgets.Take(offerId, amount);
        if (token is null)
        {
            (_refused ??= []).Add((offerId, amount));
        }

        return token;
    }

    /// <summary>The offers whose refused takes may succeed once a new lease is at hand (none: the refusals stand).</summary>
    public List<string>? WorthWaitingFor()
    {
        List<string>? offers = null;
        foreach (var (offerId, amount) in _refused ?? [])
        {
            if (budgets.MayHaveMore(offerId, amount))
            {
                (offers ??= []).Add(offerId);
            }
        }

        return offers;
    }
}
