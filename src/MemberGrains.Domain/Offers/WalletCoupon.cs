namespace MemberGrains.Domain.Offers;

/// <summary>A coupon in a member's wallet: an offer (the template) the member can have a till apply once.</summary>
public sealed class WalletCoupon
{
    /// <summary>The coupon's id, as a till presents it.</summary>
    public string CouponId { get; set; } = string.Empty;

    /// <summary>The coupon template (an offer with wallet terms) whose terms apply.</summary>
    public string OfferId { get; set; } = string.Empty;

    /// <summary>The coupon offer that issued it.</summary>
    public string IssuedBy { get; set; } = string.Empty;

    /// <summary>Program version it was issued under: its terms stay those of that version.</summary>
    public int ProgramVersion { get; set; }

    /// <summary>The request (purchase, activity, maintenance) during which it was issued.</summary>
    public string SourceRequestId { get; set; } = string.Empty;

    public DateTimeOffset IssuedAt { get; set; }

    /// <summary>The first instant it is no longer valid.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public CouponStatus Status { get; set; }

    /// <summary>The purchase that used it.</summary>
    public string? UsedBy { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Whether it can be used at <paramref name="at"/>.</summary>
    public bool OpenAt(DateTimeOffset at) => Status == CouponStatus.Open && at >= IssuedAt && at < ExpiresAt;
}
