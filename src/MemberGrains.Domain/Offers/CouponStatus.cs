namespace MemberGrains.Domain.Offers;

/// <summary>Where a wallet coupon stands (expiry is read from its date). Persisted by number: append only.</summary>
public enum CouponStatus
{
    /// <summary>Held and usable until it expires.</summary>
    Open = 0,

    /// <summary>Used by a purchase (back to open if that purchase is fully refunded while the coupon is still valid).</summary>
    Used = 1,

    /// <summary>Taken away: the purchase that issued it was fully refunded.</summary>
    Revoked = 2,
}
