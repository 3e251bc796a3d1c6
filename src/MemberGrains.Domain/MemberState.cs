using System.Text.Json.Serialization;
using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain;

/// <summary>
/// Everything the cluster knows about one member, persisted as one document with each commit.
/// Balance is derived from the lots and the debt, so it can't drift from them.
/// </summary>
public sealed class MemberState
{
    [JsonPropertyName("memberId")]
    public string MemberId { get; set; } = string.Empty;

    [JsonPropertyName("enrolledAt")]
    public DateTimeOffset EnrolledAt { get; set; }

    [JsonPropertyName("birthday")]
    public DateOnly? Birthday { get; set; }

    [JsonPropertyName("homeStoreId")]
    public string? HomeStoreId { get; set; }

    [JsonPropertyName("marketingConsent")]
    public bool MarketingConsent { get; set; }

    [JsonPropertyName("personalisationConsent")]
    public bool PersonalisationConsent { get; set; }

    /// <summary>Unspent points by lot, in the order they are spent (earliest expiry first).</summary>
    [JsonPropertyName("lots")]
    public List<PointsLot> Lots { get; set; } = [];

    /// <summary>Points owed after a refund took back more than the member had; paid off by later earnings.</summary>
    [JsonPropertyName("debt")]
    public long Debt { get; set; }

    /// <summary>Points a refund could not take back (policy ClawbackWithDebt); withheld from later earnings. Not part of the balance.</summary>
    [JsonPropertyName("owed")]
    public long Owed { get; set; }

    /// <summary>Net spend since enrolment (refunds subtracted), in fen.</summary>
    [JsonPropertyName("lifetimeSpendFen")]
    public long LifetimeSpendFen { get; set; }

    [JsonPropertyName("tier")]
    public Tier Tier { get; set; }

    /// <summary>When the member entered the current tier (null: since enrolment); its month is a grace month for upkeep.</summary>
    [JsonPropertyName("tierSince")]
    public DateTimeOffset? TierSince { get; set; }

    /// <summary>True from a monthly review lowering the tier until a purchase crosses a tier minimum: such a member goes up only by crossing one.</summary>
    [JsonPropertyName("tierLostInReview")]
    public bool TierLostInReview { get; set; }

    /// <summary>The store-local month up to which monthly tier reviews have run (yyyymm).</summary>
    [JsonPropertyName("tierReviewedMonth")]
    public int TierReviewedMonth { get; set; }

    /// <summary>Purchases by store-local month, oldest first; kept for the longest program window.</summary>
    [JsonPropertyName("months")]
    public List<MonthBucket> Months { get; set; } = [];

    /// <summary>Times of recent purchases (for velocity and churn-risk rules), oldest first.</summary>
    [JsonPropertyName("recentPurchases")]
    public List<DateTimeOffset> RecentPurchases { get; set; } = [];

    /// <summary>The store-local day <see cref="CapDayEligibleFen"/> counts.</summary>
    [JsonPropertyName("capDay")]
    public DateOnly CapDay { get; set; }

    /// <summary>Eligible spend already counted against the daily cap on <see cref="CapDay"/>.</summary>
    [JsonPropertyName("capDayEligibleFen")]
    public long CapDayEligibleFen { get; set; }

    /// <summary>Behaviour activities by kind.</summary>
    [JsonPropertyName("activities")]
    public Dictionary<string, ActivityCounter> Activities { get; set; } = [];

    /// <summary>Risk flags raised by events, until they lapse.</summary>
    [JsonPropertyName("flags")]
    public List<RiskFlag> Flags { get; set; } = [];

    /// <summary>Sequence number of the last event raised.</summary>
    [JsonPropertyName("eventSeq")]
    public long EventSeq { get; set; }

    /// <summary>Year whose birthday week was last announced.</summary>
    [JsonPropertyName("birthdayNoticeYear")]
    public int BirthdayNoticeYear { get; set; }

    /// <summary>Expiry instant last announced as expiring soon.</summary>
    [JsonPropertyName("expiryNoticeFor")]
    public DateTimeOffset? ExpiryNoticeFor { get; set; }

    /// <summary>The last purchase after whose silence churn risk was announced.</summary>
    [JsonPropertyName("churnNoticeFor")]
    public DateTimeOffset? ChurnNoticeFor { get; set; }

    /// <summary>RFM: first purchase.</summary>
    [JsonPropertyName("firstPurchaseAt")]
    public DateTimeOffset? FirstPurchaseAt { get; set; }

    /// <summary>RFM: latest purchase.</summary>
    [JsonPropertyName("lastPurchaseAt")]
    public DateTimeOffset? LastPurchaseAt { get; set; }

    /// <summary>Latest captured redemption (a dormant account redeeming is a risk signal).</summary>
    [JsonPropertyName("lastRedemptionAt")]
    public DateTimeOffset? LastRedemptionAt { get; set; }

    /// <summary>RFM: number of purchases.</summary>
    [JsonPropertyName("purchaseCount")]
    public int PurchaseCount { get; set; }

    /// <summary>Redemption holds: open ones and recently closed ones (kept to explain a late capture).</summary>
    [JsonPropertyName("holds")]
    public Dictionary<string, RedemptionHold> Holds { get; set; } = [];

    /// <summary>Purchases that can still be refunded, by request id.</summary>
    [JsonPropertyName("purchases")]
    public Dictionary<string, PurchaseRecord> Purchases { get; set; } = [];

    /// <summary>Recently answered non-purchase requests, by request id.</summary>
    [JsonPropertyName("requests")]
    public Dictionary<string, ProcessedRequest> Requests { get; set; } = [];

    /// <summary>Sequence number of the last ledger row written.</summary>
    [JsonPropertyName("ledgerSeq")]
    public long LedgerSeq { get; set; }

    /// <summary>Last lot number handed out.</summary>
    [JsonPropertyName("lotSeq")]
    public long LotSeq { get; set; }

    /// <summary>Last hold number handed out.</summary>
    [JsonPropertyName("holdSeq")]
    public long HoldSeq { get; set; }

    /// <summary>Last answer number handed out (orders <see cref="Requests"/>).</summary>
    [JsonPropertyName("requestSeq")]
    public long RequestSeq { get; set; }

    /// <summary>Coupons in the member's wallet: open ones, and used, revoked or expired ones for a while (to explain a refusal).</summary>
    [JsonPropertyName("wallet")]
    public List<WalletCoupon> Wallet { get; set; } = [];

    /// <summary>Last coupon number handed out.</summary>
    [JsonPropertyName("couponSeq")]
    public long CouponSeq { get; set; }

    /// <summary>How often the member used each offer, by offer id (per-member limits).</summary>
    [JsonPropertyName("offerUses")]
    public Dictionary<string, OfferUseCounter> OfferUses { get; set; } = [];

    /// <summary>What the member bought per product category (affinity tags, replenishment reminders), by category.</summary>
    [JsonPropertyName("categories")]
    public Dictionary<string, CategoryStats> Categories { get; set; } = [];

    /// <summary>Points balance: unspent lots minus debt.</summary>
    [JsonIgnore]
    [JsonPropertyName("balance")]
    public long Balance => Lots.Sum(l => l.Remaining) - Debt;
}
