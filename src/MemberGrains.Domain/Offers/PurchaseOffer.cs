using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>An offer applied to a purchase, kept with the purchase so a refund can give back and take back exactly what it gave.</summary>
public sealed class PurchaseOffer
{
    public string OfferId { get; set; } = string.Empty;

    public OfferKind Kind { get; set; }

    public long DiscountFen { get; set; }

    /// <summary>Bonus points booked for it.</summary>
    public long BonusPoints { get; set; }

    /// <summary>Bonus points refunds have taken back so far.</summary>
    public long PointsTakenBack { get; set; }

    /// <summary>pointsMultiplier: the multiplier (its bonus is the rate points times multiplier − 1, times the covered share).</summary>
    public decimal Multiplier { get; set; }

    /// <summary>pointsMultiplier: what the covered lines cost, in fen (the whole basket when the offer covers every line).</summary>
    public long ScopeFen { get; set; }

    /// <summary>The offer's minimum basket total (0: none), checked again against what is left after a refund.</summary>
    public long MinSpendFen { get; set; }

    /// <summary>The limit period the use was counted in.</summary>
    public LimitPeriod Period { get; set; }

    /// <summary>The key of that period (see <see cref="OfferUseCounter.Key"/>).</summary>
    public long PeriodKey { get; set; }

    /// <summary>True once a refund gave the use back.</summary>
    public bool UseReturned { get; set; }

    /// <summary>What its budget counts, when it has one.</summary>
    public BudgetUnit? BudgetUnit { get; set; }

    /// <summary>Budget units taken (0: no budget).</summary>
    public long BudgetUnits { get; set; }

    /// <summary>Budget units refunds gave back so far.</summary>
    public long BudgetUnitsReturned { get; set; }

    /// <summary>The token <see cref="IOfferBudget.Take"/> returned.</summary>
    public string? BudgetToken { get; set; }

    /// <summary>The wallet coupon the purchase used for it.</summary>
    public string? CouponId { get; set; }

    /// <summary>The wallet coupon it issued (a coupon offer).</summary>
    public string? IssuedCouponId { get; set; }
}
