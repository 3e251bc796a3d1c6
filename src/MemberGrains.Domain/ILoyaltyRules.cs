namespace MemberGrains.Domain;

/// <summary>
/// The loyalty program as the member account sees it. The base rules implement it now; the
/// program engine replaces them without touching the account.
/// </summary>
public interface ILoyaltyRules
{
    /// <summary>Program version recorded with every decision and ledger row.</summary>
    int Version { get; }

    /// <summary>The zone calendar rules are evaluated in.</summary>
    TimeZoneInfo TimeZone { get; }

    /// <summary>Points given at enrolment.</summary>
    long EnrollmentBonus { get; }

    /// <summary>Points an eligible spend of <paramref name="amountFen"/> earns.</summary>
    long PointsForSpend(long amountFen);

    /// <summary>When points earned at <paramref name="earnedAt"/> expire.</summary>
    DateTimeOffset LotExpiry(DateTimeOffset earnedAt);

    /// <summary>The tier a qualifying spend reaches.</summary>
    Tier TierFor(long qualifyingSpendFen);

    /// <summary>Smallest number of points that can be reserved.</summary>
    long MinimumRedemptionPoints { get; }

    /// <summary>Reserved points must be a multiple of this.</summary>
    long RedemptionStep { get; }

    /// <summary>How long a hold lasts when the till does not say.</summary>
    TimeSpan DefaultHoldTtl { get; }

    /// <summary>The longest hold a till may ask for.</summary>
    TimeSpan MaxHoldTtl { get; }
}
