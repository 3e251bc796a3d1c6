using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>
/// Campaign budgets for tests: offers given a limit have that many units, others are unlimited;
/// every take is recorded and answered with a token. <see cref="LoseRaces"/> makes every take fail
/// after a positive CanTake, as when another silo took the last units in between.
/// </summary>
internal sealed class FakeBudget : IOfferBudget
{
    private readonly Dictionary<string, long> _left = new(StringComparer.Ordinal);

    public FakeBudget(params (string OfferId, long Units)[] limits)
    {
        foreach (var (offerId, units) in limits)
        {
            _left[offerId] = units;
        }
    }

    public List<(string OfferId, long Amount, string Token)> Taken { get; } = [];

    public List<(string OfferId, long Amount)> Asked { get; } = [];

    public bool LoseRaces { get; set; }

    public long Left(string offerId) => _left.GetValueOrDefault(offerId, long.MaxValue);

    public bool CanTake(string offerId, long amount)
    {
        Asked.Add((offerId, amount));
        return !_left.TryGetValue(offerId, out var left) || left >= amount;
    }

    public string? Take(string offerId, long amount)
    {
        if (LoseRaces || (_left.TryGetValue(offerId, out var left) && left < amount))
        {
            return null;
        }

        if (_left.ContainsKey(offerId))
        {
            _left[offerId] -= amount;
        }

        var token = $"tok-{offerId}-{Taken.Count + 1}";
        Taken.Add((offerId, amount, token));
        return token;
    }
}
