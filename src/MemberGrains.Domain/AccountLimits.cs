namespace MemberGrains.Domain;

/// <summary>Operational bounds of a member account: what is accepted and how long answers are kept.</summary>
public sealed record AccountLimits
{
    /// <summary>The defaults used in production.</summary>
    public static AccountLimits Default { get; } = new();

    /// <summary>Largest single purchase or refund accepted: 10,000,000 CNY.</summary>
    public long MaxAmountFen { get; init; } = 1_000_000_000;

    /// <summary>Most lines one purchase may carry.</summary>
    public int MaxLines { get; init; } = 1_000;

    /// <summary>Largest quantity on one line.</summary>
    public int MaxLineQuantity { get; init; } = 100_000;

    /// <summary>Largest number of points one hold may set aside.</summary>
    public long MaxRedemptionPoints { get; init; } = 1_000_000_000;

    /// <summary>How long an answered request id is remembered for retries (purchases: see <see cref="PurchaseRetention"/>).</summary>
    public TimeSpan RequestRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>At most this many non-purchase answers are remembered; the oldest go first.</summary>
    public int MaxRememberedRequests { get; init; } = 256;

    /// <summary>How long a purchase can be refunded and its retries recognised.</summary>
    public TimeSpan PurchaseRetention { get; init; } = TimeSpan.FromDays(365);

    /// <summary>Most wallet coupons one basket may present.</summary>
    public int MaxCouponsPerBasket { get; init; } = 20;

    /// <summary>Most product categories whose purchases a member keeps (the least recently bought are forgotten first).</summary>
    public int MaxTrackedCategories { get; init; } = 64;

    /// <summary>How long a used, revoked or expired coupon stays in the wallet after it expires (to explain a refusal).</summary>
    public TimeSpan SpentCouponRetention { get; init; } = TimeSpan.FromDays(30);

    /// <summary>How long a closed hold is kept to explain a late capture or release.</summary>
    public TimeSpan ClosedHoldRetention { get; init; } = TimeSpan.FromDays(1);

    /// <summary>When an answered request is forgotten: from then on its id is a new request (see <see cref="RequestRetention"/>).</summary>
    public DateTimeOffset ForgetAt(ProcessedRequest request) => request.Receipt.At + RequestRetention;

    /// <summary>When a purchase is forgotten: from then on it cannot be refunded (see <see cref="PurchaseRetention"/>).</summary>
    public DateTimeOffset ForgetAt(PurchaseRecord purchase) => purchase.At + PurchaseRetention;

    /// <summary>When a hold is forgotten: <see cref="ClosedHoldRetention"/> after it closed; never while it is open.</summary>
    public DateTimeOffset? ForgetAt(RedemptionHold hold) => hold.ClosedAt + ClosedHoldRetention;
}
