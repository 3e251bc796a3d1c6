namespace MemberGrains.Abstractions;

/// <summary>Enrolment of the member named by the grain key.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.EnrollRequest")]
public sealed record EnrollRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public DateOnly? Birthday { get; init; }
    [Id(2)] public string? HomeStoreId { get; init; }
    [Id(3)] public bool MarketingConsent { get; init; }
    [Id(4)] public bool PersonalisationConsent { get; init; }
}

/// <summary>One line of a purchase; <see cref="Promoted"/> when it was sold at a promotion price.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.PurchaseLineItem")]
public sealed record PurchaseLineItem
{
    [Id(0)] public required string Sku { get; init; }
    [Id(1)] public string Category { get; init; } = string.Empty;
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public long AmountFen { get; init; }
    [Id(4)] public bool Promoted { get; init; }
}

/// <summary>A completed purchase.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.AccrueRequest")]
public sealed record AccrueRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string StoreId { get; init; }
    [Id(2)] public required string TerminalId { get; init; }
    [Id(3)] public long TotalFen { get; init; }
    [Id(4)] public IReadOnlyList<PurchaseLineItem> Lines { get; init; } = [];
    /// <summary>When the purchase happened at the till; null: now.</summary>
    [Id(5)] public DateTimeOffset? OccurredAt { get; init; }
    /// <summary>Wallet coupons the member presented.</summary>
    [Id(6)] public IReadOnlyList<string> CouponIds { get; init; } = [];
}

/// <summary>
/// Points to set aside at a till; <see cref="HoldSeconds"/> 0 takes the program default.
/// <see cref="BasketFen"/> is the basket the points pay for (0: not given); the program's
/// largest basket share bounds the points when it is given.
/// </summary>
[GenerateSerializer, Immutable, Alias("membergrains.ReserveRequest")]
public sealed record ReserveRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string StoreId { get; init; }
    [Id(2)] public required string TerminalId { get; init; }
    [Id(3)] public long Points { get; init; }
    [Id(4)] public int HoldSeconds { get; init; }
    [Id(5)] public long BasketFen { get; init; }
}

/// <summary>
/// Capture of a hold; <see cref="Points"/> 0 captures all it holds. A hold sent for review needs
/// <see cref="ApprovedBy"/>, the staff member who approved it.
/// </summary>
[GenerateSerializer, Immutable, Alias("membergrains.CaptureRequest")]
public sealed record CaptureRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string StoreId { get; init; }
    [Id(2)] public required string TerminalId { get; init; }
    [Id(3)] public required string HoldId { get; init; }
    [Id(4)] public long Points { get; init; }
    [Id(5)] public string? ApprovedBy { get; init; }
}

/// <summary>Release of a hold.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ReleaseRequest")]
public sealed record ReleaseRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string StoreId { get; init; }
    [Id(2)] public required string TerminalId { get; init; }
    [Id(3)] public required string HoldId { get; init; }
}

/// <summary>Refund against an earlier purchase; <see cref="AmountFen"/> 0 refunds all that is left.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.RefundRequest")]
public sealed record RefundRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string StoreId { get; init; }
    [Id(2)] public required string TerminalId { get; init; }
    [Id(3)] public required string OriginalRequestId { get; init; }
    [Id(4)] public long AmountFen { get; init; }
    /// <summary>When the refund happened at the till; null: now.</summary>
    [Id(5)] public DateTimeOffset? OccurredAt { get; init; }
}

/// <summary>A behaviour activity that earns points (check-in, review, referral …); <see cref="Reference"/> names what it was about.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ActivityRequest")]
public sealed record ActivityRequest
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required string StoreId { get; init; }
    [Id(2)] public required string TerminalId { get; init; }
    [Id(3)] public required string Kind { get; init; }
    [Id(4)] public string Reference { get; init; } = string.Empty;
    /// <summary>When the activity happened; null: now.</summary>
    [Id(5)] public DateTimeOffset? OccurredAt { get; init; }
}

/// <summary>A basket to quote before payment; <see cref="RedeemPoints"/> 0 asks about no redemption. Changes nothing.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.QuoteRequest")]
public sealed record QuoteRequest
{
    [Id(0)] public required string StoreId { get; init; }
    [Id(1)] public long TotalFen { get; init; }
    [Id(2)] public IReadOnlyList<PurchaseLineItem> Lines { get; init; } = [];
    [Id(3)] public long RedeemPoints { get; init; }
    /// <summary>Wallet coupons the member presented.</summary>
    [Id(4)] public IReadOnlyList<string> CouponIds { get; init; } = [];
}
