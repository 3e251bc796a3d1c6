using System.Text.Json.Serialization;

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

    /// <summary>Net spend since enrolment (refunds subtracted), in fen.</summary>
    public long LifetimeSpendFen { get; set; }

    /// <summary>Spend that counts towards the tier, in fen.</summary>
    public long QualifyingSpendFen { get; set; }

    public Tier Tier { get; set; }

    /// <summary>RFM: first purchase.</summary>
    public DateTimeOffset? FirstPurchaseAt { get; set; }

    /// <summary>RFM: latest purchase.</summary>
    public DateTimeOffset? LastPurchaseAt { get; set; }

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

    /// <summary>Points balance: unspent lots minus debt.</summary>
    [JsonIgnore]
    public long Balance => Lots.Sum(l => l.Remaining) - Debt;
}
