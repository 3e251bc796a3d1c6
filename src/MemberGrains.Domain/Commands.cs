using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>Enrol a new member.</summary>
public sealed record EnrollCommand(
    string MemberId,
    string RequestId,
    DateOnly? Birthday,
    string? HomeStoreId,
    bool MarketingConsent,
    bool PersonalisationConsent);

/// <summary>One line of a purchase; <paramref name="Promoted"/> when it was bought at a promotion price.</summary>
public sealed record PurchaseLine(
    [property: JsonPropertyName("sku")] string Sku,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("quantity")] int Quantity,
    [property: JsonPropertyName("amountFen")] long AmountFen,
    [property: JsonPropertyName("promoted")] bool Promoted = false);

/// <summary>
/// A completed purchase to earn points on. <paramref name="OccurredAt"/> is when the till says it
/// happened (a checkout queued while the store was offline); null means now. <paramref name="TotalFen"/>
/// is the sum of the lines at the prices the till sent (before offer discounts);
/// <paramref name="CouponIds"/> are the wallet coupons the member presented (null or empty: none).
/// </summary>
public sealed record AccrueCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    long TotalFen,
    IReadOnlyList<PurchaseLine> Lines,
    DateTimeOffset? OccurredAt = null,
    IReadOnlyList<string>? CouponIds = null);

/// <summary>
/// Set points aside at a till; <paramref name="HoldFor"/> null means the program default;
/// <paramref name="BasketFen"/> (null: not given) bounds the points by the program's basket share.
/// </summary>
public sealed record ReserveCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    long Points,
    TimeSpan? HoldFor,
    long? BasketFen = null);

/// <summary>
/// Spend a hold's points; <paramref name="Points"/> 0 means all of them, fewer releases the rest.
/// A hold sent for review needs <paramref name="ApprovedBy"/> (the staff member who approved it).
/// </summary>
public sealed record CaptureCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string HoldId,
    long Points,
    string? ApprovedBy = null);

/// <summary>Give a hold's points back.</summary>
public sealed record ReleaseCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string HoldId);

/// <summary>Refund (part of) an earlier purchase; <paramref name="AmountFen"/> 0 means everything not yet refunded; <paramref name="OccurredAt"/> as for a purchase.</summary>
public sealed record RefundCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string OriginalRequestId,
    long AmountFen,
    DateTimeOffset? OccurredAt = null);

/// <summary>Record a behaviour activity (check-in, review, referral …) that earns points; <paramref name="Reference"/> names what it was about; <paramref name="OccurredAt"/> as for a purchase.</summary>
public sealed record ActivityCommand(
    string RequestId,
    string StoreId,
    string TerminalId,
    string Kind,
    string Reference,
    DateTimeOffset? OccurredAt = null);

/// <summary>A basket to quote: which offers apply, what it would earn, what points could pay of it; <paramref name="CouponIds"/> as for a purchase.</summary>
public sealed record QuoteCommand(
    string StoreId,
    long TotalFen,
    IReadOnlyList<PurchaseLine> Lines,
    long RedeemPoints,
    IReadOnlyList<string>? CouponIds = null);
