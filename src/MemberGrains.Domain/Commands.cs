using System.Text.Json.Serialization;
using Orleans;

namespace MemberGrains.Domain;

// These commands are also IMemberGrain's arguments: the gRPC edge builds them and the grain hands
// them to the account as they are. Hence the Orleans attributes (serializers are generated in
// MemberGrains.Abstractions): [Immutable] because the grain is called locally on the hot path and
// must not be handed a deep copy per call; ids are never renumbered (a silo of the previous version
// may still be calling during a rolling upgrade).

/// <summary>Enrol a new member.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.EnrollCommand")]
public sealed record EnrollCommand(
    [Id(0)] string MemberId,
    [Id(1)] string RequestId,
    [Id(2)] DateOnly? Birthday,
    [Id(3)] string? HomeStoreId,
    [Id(4)] bool MarketingConsent,
    [Id(5)] bool PersonalisationConsent);

/// <summary>One line of a purchase; <paramref name="Promoted"/> when it was bought at a promotion price.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.PurchaseLine")]
public sealed record PurchaseLine(
    [Id(0)][property: JsonPropertyName("sku")] string Sku,
    [Id(1)][property: JsonPropertyName("category")] string Category,
    [Id(2)][property: JsonPropertyName("quantity")] int Quantity,
    [Id(3)][property: JsonPropertyName("amountFen")] long AmountFen,
    [Id(4)][property: JsonPropertyName("promoted")] bool Promoted = false);

/// <summary>
/// A completed purchase to earn points on. <paramref name="OccurredAt"/> is when the till says it
/// happened (a checkout queued while the store was offline); null means now. <paramref name="TotalFen"/>
/// is the sum of the lines at the prices the till sent (before offer discounts);
/// <paramref name="CouponIds"/> are the wallet coupons the member presented (null or empty: none).
/// </summary>
[GenerateSerializer, Immutable, Alias("membergrains.AccrueCommand")]
public sealed record AccrueCommand(
    [Id(0)] string RequestId,
    [Id(1)] string StoreId,
    [Id(2)] string TerminalId,
    [Id(3)] long TotalFen,
    [Id(4)] IReadOnlyList<PurchaseLine> Lines,
    [Id(5)] DateTimeOffset? OccurredAt = null,
    [Id(6)] IReadOnlyList<string>? CouponIds = null);

/// <summary>
/// Set points aside at a till; <paramref name="HoldFor"/> null means the program default;
/// <paramref name="BasketFen"/> (null: not given) bounds the points by the program's basket share.
/// </summary>
[GenerateSerializer, Immutable, Alias("membergrains.ReserveCommand")]
public sealed record ReserveCommand(
    [Id(0)] string RequestId,
    [Id(1)] string StoreId,
    [Id(2)] string TerminalId,
    [Id(3)] long Points,
    [Id(4)] TimeSpan? HoldFor,
    [Id(5)] long? BasketFen = null);

/// <summary>
/// Spend a hold's points; <paramref name="Points"/> 0 means all of them, fewer releases the rest.
/// A hold sent for review needs <paramref name="ApprovedBy"/> (the staff member who approved it).
/// </summary>
[GenerateSerializer, Immutable, Alias("membergrains.CaptureCommand")]
public sealed record CaptureCommand(
    [Id(0)] string RequestId,
    [Id(1)] string StoreId,
    [Id(2)] string TerminalId,
    [Id(3)] string HoldId,
    [Id(4)] long Points,
    [Id(5)] string? ApprovedBy = null);

/// <summary>Give a hold's points back.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ReleaseCommand")]
public sealed record ReleaseCommand(
    [Id(0)] string RequestId,
    [Id(1)] string StoreId,
    [Id(2)] string TerminalId,
    [Id(3)] string HoldId);

/// <summary>Refund (part of) an earlier purchase; <paramref name="AmountFen"/> 0 means everything not yet refunded; <paramref name="OccurredAt"/> as for a purchase.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.RefundCommand")]
public sealed record RefundCommand(
    [Id(0)] string RequestId,
    [Id(1)] string StoreId,
    [Id(2)] string TerminalId,
    [Id(3)] string OriginalRequestId,
    [Id(4)] long AmountFen,
    [Id(5)] DateTimeOffset? OccurredAt = null);

/// <summary>Record a behaviour activity (check-in, review, referral …) that earns points; <paramref name="Reference"/> names what it was about; <paramref name="OccurredAt"/> as for a purchase.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ActivityCommand")]
public sealed record ActivityCommand(
    [Id(0)] string RequestId,
    [Id(1)] string StoreId,
    [Id(2)] string TerminalId,
    [Id(3)] string Kind,
    [Id(4)] string Reference,
    [Id(5)] DateTimeOffset? OccurredAt = null);

/// <summary>A basket to quote: which offers apply, what it would earn, what points could pay of it; <paramref name="CouponIds"/> as for a purchase.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.QuoteCommand")]
public sealed record QuoteCommand(
    [Id(0)] string StoreId,
    [Id(1)] long TotalFen,
    [Id(2)] IReadOnlyList<PurchaseLine> Lines,
    [Id(3)] long RedeemPoints,
    [Id(4)] IReadOnlyList<string>? CouponIds = null);
