namespace MemberGrains.Domain.Rules;

/// <summary>
/// Which members an offer is for; every condition given must hold (a list: one of its entries). Tier,
/// store and days since enrolment are generic; the others read what the member did and are personalised:
/// only an offer marked <see cref="Offer.Personalised"/> may use them.
/// </summary>
public sealed record OfferTarget
{
    /// <summary>The member's tier is one of these.</summary>
    public IReadOnlyList<Tier>? Tiers { get; init; }

    /// <summary>The basket is bought in one of these stores.</summary>
    public IReadOnlyList<string>? StoreIds { get; init; }

    /// <summary>Enrolled at least this many store-local days ago (0: the enrolment day).</summary>
    public int? MinDaysSinceEnrollment { get; init; }

    /// <summary>Enrolled at most this many store-local days ago.</summary>
    public int? MaxDaysSinceEnrollment { get; init; }

    /// <summary>Personalised: the member's segment is one of these.</summary>
    public IReadOnlyList<string>? Segments { get; init; }

    /// <summary>Personalised: the member's lifecycle stage is one of these (prospect: no purchase yet).</summary>
    public IReadOnlyList<LifecycleStage>? Lifecycle { get; init; }

    /// <summary>Personalised: the member has one of these risk flags standing.</summary>
    public IReadOnlyList<string>? RiskFlags { get; init; }

    /// <summary>Personalised: the member has none of these risk flags standing.</summary>
    public IReadOnlyList<string>? ExcludeRiskFlags { get; init; }

    /// <summary>Personalised: the day is within the member's birthday day, week or month.</summary>
    public BirthdayWindow? Birthday { get; init; }

    /// <summary>Personalised: the member has the affinity (see <see cref="CategoryRule.Affinity"/>) for one of these categories.</summary>
    public IReadOnlyList<string>? AffinityCategories { get; init; }
}
