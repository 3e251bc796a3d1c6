using System.Text.Json.Serialization;
using MemberGrains.Domain.Offers;

namespace MemberGrains.Domain;

/// <summary>A completed purchase kept for refunds and for recognising its retries.</summary>
public sealed class PurchaseRecord
{
    [JsonPropertyName("requestId")]
    public string RequestId { get; set; } = string.Empty;

    [JsonPropertyName("storeId")]
    public string StoreId { get; set; } = string.Empty;

    [JsonPropertyName("terminalId")]
    public string TerminalId { get; set; } = string.Empty;

    [JsonPropertyName("at")]
    public DateTimeOffset At { get; set; }

    /// <summary>The lines at the prices the till sent, in fen.</summary>
    [JsonPropertyName("totalFen")]
    public long TotalFen { get; set; }

    /// <summary>Offer discounts given on it, in fen: the member paid <see cref="TotalFen"/> minus this.</summary>
    [JsonPropertyName("discountFen")]
    public long DiscountFen { get; set; }

    /// <summary>What the member paid: the basket less offer discounts (what refunds give back, and what earns).</summary>
    [JsonIgnore]
    [JsonPropertyName("paidFen")]
    public long PaidFen => TotalFen - DiscountFen;

    /// <summary>Sum of all refunds against this purchase so far.</summary>
    [JsonPropertyName("refundedFen")]
    public long RefundedFen { get; set; }

    /// <summary>Offers applied to it, in the order they stacked (refunds give them back).</summary>
    [JsonPropertyName("offers")]
    public List<PurchaseOffer> Offers { get; set; } = [];

    /// <summary>Points the purchase earned when it was made (rate and threshold bonus; offer bonuses are in <see cref="Offers"/>).</summary>
    [JsonPropertyName("pointsEarned")]
    public long PointsEarned { get; set; }

    /// <summary>Points taken back by refunds so far.</summary>
    [JsonPropertyName("pointsTakenBack")]
    public long PointsTakenBack { get; set; }

    /// <summary>Program version the purchase earned under: refunds recompute with it.</summary>
    [JsonPropertyName("programVersion")]
    public int ProgramVersion { get; set; }

    /// <summary>The purchase lines, kept to recompute what a reduced purchase earns.</summary>
    [JsonPropertyName("lines")]
    public List<PurchaseLine> Lines { get; set; } = [];

    /// <summary>The member's tier when buying (its multiplier applied).</summary>
    [JsonPropertyName("tier")]
    public Tier Tier { get; set; }

    /// <summary>Room left under the daily cap before this purchase, in fen (long.MaxValue: no cap).</summary>
    [JsonPropertyName("capHeadroomFen")]
    public long CapHeadroomFen { get; set; }

    /// <summary>Fingerprint of the accrue request, to tell a retry from a reused id.</summary>
    [JsonPropertyName("fingerprint")]
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>The answer the accrual gave, returned again to a retry.</summary>
    [JsonPropertyName("receipt")]
    public Receipt Receipt { get; set; } = null!;
}
