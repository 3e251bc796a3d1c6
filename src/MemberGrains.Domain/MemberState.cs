using System.Text.Json.Serialization;
using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain;

/// <summary>
/// Everything the cluster knows about one member, persisted as one document with each commit.
/// Balance is derived from the lots and the debt, so it can't drift from them.
/// </summary>
public sealed class MemberState
{
    public string MemberId { get; set; } = string.Empty;

    public DateTimeOffset EnrolledAt { get; set; }

    public DateOnly? Birthday { get; set; }

    public string? HomeStoreId { get; set; }

    public bool MarketingConsent { get; set; }

    public bool PersonalisationConsent { get; set; }

    /// <summary>Unspent points by lot, in the order they are spent (earliest expiry first).</summary>
    public List<PointsLot> Lots { get; set; } = [];

    /// <summary>Points owed after a refund took back more than the member had; paid off by later earnings.</summary>
    public long Debt { get; set; }

    /// <summary>Points a refund could not take back (policy ClawbackWithDebt); withheld from later earnings. Not part of the balance.</summary>
    public long Owed { get; set; }

    /// <summary>Net spend since enrolment (refunds subtracted), in fen.</summary>
    public long LifetimeSpendFen { get; set; }

    public Tier Tier { get; set; }

    /// <summary>When the member entered the current tier (null: since enrolment); its month is a grace month for upkeep.</summary>
    public DateTimeOffset? TierSince { get; set; }

    /// <summary>True from a monthly review lowering the tier until a purchase crosses a tier minimum: such a member goes up only by crossing one.</summary>
    public bool TierLostInReview { get; set; }

    /// <summary>The store-local month up to which monthly tier reviews have run (yyyymm).</summary>
    public int TierReviewedMonth { get; set; }

    /// <summary>Purchases by store-local month, oldest first; kept for the longest program window.</summary>
    public List<MonthBucket> Months { get; set; } = [];

    /// <summary>Times of recent purchases (for velocity and churn-risk rules), oldest first.</summary>
    public List<DateTimeOffset> RecentPurchases { get; set; } = [];

    /// <summary>The store-local day <see cref="CapDayEligibleFen"/> counts.</summary>
    public DateOnly CapDay { get; set; }

    /// <summary>Eligible spend already counted against the daily cap on <see cref="CapDay"/>.</summary>
    public long CapDayEligibleFen { get; set; }

    /// <summary>Behaviour activities by kind.</summary>
    public Dictionary<string, ActivityCounter> Activities { get; set; } = [];

    /// <summary>Risk flags raised by events, until they lapse.</summary>
    public List<RiskFlag> Flags { get; set; } = [];

    /// <summary>Sequence number of the last event raised.</summary>
    public long EventSeq { get; set; }

    /// <summary>Year whose birthday week was last announced.</summary>
    public int BirthdayNoticeYear { get; set; }

    /// <summary>Expiry instant last announced as expiring soon.</summary>
    public DateTimeOffset? ExpiryNoticeFor { get; set; }

    /// <summary>The last purchase after whose silence churn risk was announced.</summary>
    public DateTimeOffset? ChurnNoticeFor { get; set; }

    /// <summary>RFM: first purchase.</summary>
    public DateTimeOffset? FirstPurchaseAt { get; set; }

    /// <summary>RFM: latest purchase.</summary>
    public DateTimeOffset? LastPurchaseAt { get; set; }

    /// <summary>Latest captured redemption (a dormant account redeeming is a risk signal).</summary>
    public DateTimeOffset? LastRedemptionAt { get; set; }

    /// <summary>RFM: number of purchases.</summary>
    public int PurchaseCount { get; set; }

    /// <summary>Redemption holds: open ones and recently closed ones (kept to explain a late capture).</summary>
    public Dictionary<string, RedemptionHold> Holds { get; set; } = [];

    /// <summary>Purchases that can still be refunded, by request id.</summary>
    public Dictionary<string, PurchaseRecord> Purchases { get; set; } = [];

    /// <summary>Recently answered non-purchase requests, by request id.</summary>
    public Dictionary<string, ProcessedRequest> Requests { get; set; } = [];

    /// <summary>Sequence number of the last ledger row written.</summary>
    public long LedgerSeq { get; set; }

    /// <summary>Last lot number handed out.</summary>
    public long LotSeq { get; set; }

    /// <summary>Last hold number handed out.</summary>
    public long HoldSeq { get; set; }

    /// <summary>Last answer number handed out (orders <see cref="Requests"/>).</summary>
    public long RequestSeq { get; set; }

    /// <summary>Coupons in the member's wallet: open ones, and used, revoked or expired ones for a while (to explain a refusal).</summary>
    public List<WalletCoupon> Wallet { get; set; } = [];

    /// <summary>Last coupon number handed out.</summary>
    public long CouponSeq { get; set; }

    /// <summary>How often the member used each offer, by offer id (per-member limits).</summary>
    public Dictionary<string, OfferUseCounter> OfferUses { get; set; } = [];

    /// <summary>What the member bought per product category (affinity tags, replenishment reminders), by category.</summary>
    public Dictionary<string, CategoryStats> Categories { get; set; } = [];

    /// <summary>Points balance: unspent lots minus debt.</summary>
    [JsonIgnore]
    public long Balance => Lots.Sum(l => l.Remaining) - Debt;
}
