using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>One store-local calendar month of a member's purchases: the source of tiers and RFM windows.</summary>
public sealed class MonthBucket
{
    /// <summary>yyyymm.</summary>
    [JsonPropertyName("month")]
    public int Month { get; set; }

    /// <summary>Spend of purchases made this month, before refunds, in fen.</summary>
    [JsonPropertyName("grossFen")]
    public long GrossFen { get; set; }

    /// <summary>Refunds of purchases made this month, in fen.</summary>
    [JsonPropertyName("refundedFen")]
    public long RefundedFen { get; set; }

    /// <summary>Purchases made this month.</summary>
    [JsonPropertyName("purchases")]
    public int Purchases { get; set; }

    /// <summary>Purchases made this month of promoted lines only.</summary>
    [JsonPropertyName("promotionOnlyPurchases")]
    public int PromotionOnlyPurchases { get; set; }

    /// <summary>Net spend: what qualifies for tiers and counts as monetary value.</summary>
    [JsonPropertyName("netFen")]
    public long NetFen => GrossFen - RefundedFen;
}
