namespace MemberGrains.Abstractions;

/// <summary>An offer as a screen shows it (see store_screen.proto, ScreenOffer).</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ScreenOfferInfo")]
public sealed record ScreenOfferInfo
{
    [Id(0)] public required string OfferId { get; init; }
    [Id(1)] public required LocalizedTextInfo Title { get; init; }
    [Id(2)] public required LocalizedTextInfo Reason { get; init; }
    [Id(3)] public string ReasonCode { get; init; } = string.Empty;
    [Id(4)] public string Kind { get; init; } = string.Empty;
    /// <summary>Estimated value to the member, in fen.</summary>
    [Id(5)] public long ValueFen { get; init; }
    [Id(6)] public DateTimeOffset? ValidUntil { get; init; }
    /// <summary>The wallet coupon, when the offer is one the member holds.</summary>
    [Id(7)] public string? CouponId { get; init; }
    /// <summary>When it becomes usable, if later than now (later today, tomorrow).</summary>
    [Id(8)] public DateTimeOffset? AvailableFrom { get; init; }
}
