using System.Text.Json.Serialization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>An offer applied to a purchase, kept with the purchase so a refund can give back and take back exactly what it gave.</summary>
public sealed class PurchaseOffer
{
    [JsonPropertyName("offerId")]
    public string OfferId { get; set; } = string.Empty;

    [JsonPropertyName("kind")]
    public OfferKind Kind { get; set; }

    [JsonPropertyName("discountFen")]
    public long DiscountFen { get; set; }

    /// <summary>Bonus points booked for it.</summary>
    [JsonPropertyName("bonusPoints")]
    public long BonusPoints { get; set; }

    /// <summary>Bonus points refunds have taken back so far.</summary>
    [JsonPropertyName("pointsTakenBack")]
    public long PointsTakenBack { get; set; }

    /// <summary>pointsMultiplier: the multiplier (its bonus is the rate points times multiplier − 1, times the covered share).</summary>
    [JsonPropertyName("multiplier")]
    public decimal Multiplier { get; set; }

    /// <summary>pointsMultiplier: what the covered lines cost, in fen (the whole basket when the offer covers every line).</summary>
    [JsonPropertyName("scopeFen")]
    public long ScopeFen { get; set; }

    /// <summary>The offer's minimum basket total (0: none), checked again against what is left after a refund.</summary>
    [JsonPropertyName("minSpendFen")]
    public long MinSpendFen { get; set; }

    /// <summary>The limit period the use was counted in.</summary>
    [JsonPropertyName("period")]
    public LimitPeriod Period { get; set; }

    /// <summary>The key of that period (see <see cref="OfferUseCounter.Key"/>).</summary>
    [JsonPropertyName("periodKey")]
    public long PeriodKey { get; set; }

    /// <summary>True once a refund gave the use back.</summary>
    [JsonPropertyName("useReturned")]
    public bool UseReturned { get; set; }

    /// <summary>What its budget counts, when it has one.</summary>
    [JsonPropertyName("budgetUnit")]
    public BudgetUnit? BudgetUnit { get; set; }

    /// <summary>Budget units taken (0: no budget).</summary>
    [JsonPropertyName("budgetUnits")]
    public long BudgetUnits { get; set; }

    /// <summary>Budget units refunds gave back so far.</summary>
    [JsonPropertyName("budgetUnitsReturned")]
    public long BudgetUnitsReturned { get; set; }

    /// <summary>The token <see cref="IOfferBudget.Take"/> returned.</summary>
    [JsonPropertyName("budgetToken")]
    public string? BudgetToken { get; set; }

    /// <summary>The wallet coupon the purchase used for it.</summary>
    [JsonPropertyName("couponId")]
    public string? CouponId { get; set; }

    /// <summary>The wallet coupon it issued (a coupon offer).</summary>
    [JsonPropertyName("issuedCouponId")]
    public string? IssuedCouponId { get; set; }
}
