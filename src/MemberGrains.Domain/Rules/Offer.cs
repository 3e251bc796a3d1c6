namespace MemberGrains.Domain.Rules;

/// <summary>
/// A promotion the program runs: what it gives (<see cref="Kind"/> and <see cref="Reward"/>), to whom
/// (<see cref="Target"/>), when (<see cref="From"/>, <see cref="To"/>, <see cref="Schedule"/>), for which
/// baskets (<see cref="Basket"/>, <see cref="Scope"/>), how often (<see cref="Limits"/>, <see cref="Budget"/>)
/// and how it combines with others (<see cref="Stacking"/>, <see cref="Priority"/>). An offer with
/// <see cref="Wallet"/> is a coupon template: it applies only through a coupon a member holds. The JSON shape
/// and every rule are described in docs/program.md (Offers).
/// </summary>
public sealed record Offer
{
    /// <summary>Unique id, named on receipts, ledger rows and budgets.</summary>
    public required string Id { get; init; }

    public required OfferKind Kind { get; init; }

    /// <summary>Why members get it, as screens explain it.</summary>
    public required OfferReason Reason { get; init; }

    /// <summary>What screens and receipts call it.</summary>
    public required LocalizedText Title { get; init; }

    /// <summary>One line saying why this member sees it; left out, a standard line for <see cref="Reason"/>.</summary>
    public LocalizedText? ReasonText { get; init; }

    /// <summary>
    /// True when the offer is for members who consented to personalisation: only such offers may use
    /// personalised targeting (segment, lifecycle, risk flags, birthday, category affinity).
    /// </summary>
    public required bool Personalised { get; init; }

    public required OfferStacking Stacking { get; init; }

    /// <summary>Higher first: the order offers stack in, and the tie-breaker of best-of and exclusive offers.</summary>
    public required int Priority { get; init; }

    /// <summary>First store-local day the offer runs (included); null: already running.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last store-local day the offer runs (included); null: no end.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Runs only for members enrolled at most this many store-local days ago (the enrolment day is day 1).</summary>
    public int? ValidDaysAfterEnrollment { get; init; }

    /// <summary>Weekdays, days of the month and time of day the offer runs; null: always.</summary>
    public OfferSchedule? Schedule { get; init; }

    /// <summary>Which members; null: everyone.</summary>
    public OfferTarget? Target { get; init; }

    /// <summary>The lines the reward works on; null: the whole basket.</summary>
    public OfferScope? Scope { get; init; }

    /// <summary>What the basket must hold; null: any basket.</summary>
    public BasketCondition? Basket { get; init; }

    public required OfferReward Reward { get; init; }

    /// <summary>Uses per member per period and applications per basket; null: no limit, one application per basket.</summary>
    public OfferLimits? Limits { get; init; }

    /// <summary>The campaign budget across the cluster; null: none.</summary>
    public BudgetRule? Budget { get; init; }

    /// <summary>Makes the offer a wallet coupon template: it applies only through a coupon the member holds and presents.</summary>
    public WalletTerms? Wallet { get; init; }

    /// <summary>For a coupon offer: the member event that issues it; null: issued at the till when a basket qualifies.</summary>
    public OfferTrigger? IssueOn { get; init; }
}
