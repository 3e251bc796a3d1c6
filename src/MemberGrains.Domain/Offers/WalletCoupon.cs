using System.Text.Json.Serialization;

namespace MemberGrains.Domain.Offers;

/// <summary>A coupon in a member's wallet: an offer (the template) the member can have a till apply once.</summary>
public sealed class WalletCoupon
{
    /// <summary>The coupon's id, as a till presents it.</summary>
    [JsonPropertyName("couponId")]
    public string CouponId { get; set; } = string.Empty;

    /// <summary>The coupon template (an offer with wallet terms) whose terms apply.</summary>
    [JsonPropertyName("offerId")]
    public string OfferId { get; set; } = string.Empty;

    /// <summary>The coupon offer that issued it.</summary>
    [JsonPropertyName("issuedBy")]
    public string IssuedBy { get; set; } = string.Empty;

    /// <summary>Program version it was issued under: its terms stay those of that version.</summary>
    [JsonPropertyName("programVersion")]
    public int ProgramVersion { get; set; }

    /// <summary>The request (purchase, activity, maintenance) during which it was issued.</summary>
    [JsonPropertyName("sourceRequestId")]
    public string SourceRequestId { get; set; } = string.Empty;

    [JsonPropertyName("issuedAt")]
    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The first instant it is no longer valid.</summary>
    [JsonPropertyName("expiresAt")]
    public DateTimeOffset ExpiresAt { get; set; }

    [JsonPropertyName("status")]
    public CouponStatus Status { get; set; }

    /// <summary>The purchase that used it.</summary>
    [JsonPropertyName("usedBy")]
    public string? UsedBy { get; set; }

    [JsonPropertyName("usedAt")]
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Whether it can be used at <paramref name="at"/>.</summary>
    public bool OpenAt(DateTimeOffset at) => Status == CouponStatus.Open && at >= IssuedAt && at < ExpiresAt;
}
