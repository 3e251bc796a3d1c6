namespace MemberGrains.Abstractions;

/// <summary>Which mutation a receipt answers.</summary>
[GenerateSerializer, Alias("membergrains.OperationType")]
public enum OperationType
{
    Enroll,
    Accrue,
    Reserve,
    Capture,
    Release,
    Refund,
}

/// <summary>Membership tier.</summary>
[GenerateSerializer, Alias("membergrains.MemberTier")]
public enum MemberTier
{
    Regular,
    Silver,
    Gold,
    Platinum,
}

/// <summary>The answer to a mutation; a retry gets the same one with <see cref="Replayed"/> set.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.OperationReceipt")]
public sealed record OperationReceipt
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public OperationType Operation { get; init; }
    /// <summary>Points earned, held, redeemed, released or taken back (never negative).</summary>
    [Id(2)] public long Points { get; init; }
    [Id(3)] public long Balance { get; init; }
    [Id(4)] public long Available { get; init; }
    [Id(5)] public string? HoldId { get; init; }
    [Id(6)] public DateTimeOffset? HoldExpiresAt { get; init; }
    [Id(7)] public int ProgramVersion { get; init; }
    [Id(8)] public DateTimeOffset At { get; init; }
    [Id(9)] public bool Replayed { get; init; }
}

/// <summary>A lot of unexpired points.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.LotInfo")]
public sealed record LotInfo
{
    [Id(0)] public DateTimeOffset EarnedAt { get; init; }
    [Id(1)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(2)] public long Remaining { get; init; }
}

/// <summary>An open redemption hold.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.HoldInfo")]
public sealed record HoldInfo
{
    [Id(0)] public required string HoldId { get; init; }
    [Id(1)] public long Points { get; init; }
    [Id(2)] public DateTimeOffset ExpiresAt { get; init; }
    [Id(3)] public string StoreId { get; init; } = string.Empty;
    [Id(4)] public string TerminalId { get; init; } = string.Empty;
}

/// <summary>The member as of <see cref="AsOf"/>.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.MemberSnapshot")]
public sealed record MemberSnapshot
{
    [Id(0)] public required string MemberId { get; init; }
    [Id(1)] public DateTimeOffset EnrolledAt { get; init; }
    [Id(2)] public DateOnly? Birthday { get; init; }
    [Id(3)] public string? HomeStoreId { get; init; }
    [Id(4)] public bool MarketingConsent { get; init; }
    [Id(5)] public bool PersonalisationConsent { get; init; }
    [Id(6)] public MemberTier Tier { get; init; }
    [Id(7)] public long Balance { get; init; }
    [Id(8)] public long Held { get; init; }
    [Id(9)] public long Available { get; init; }
    [Id(10)] public long Debt { get; init; }
    [Id(11)] public long LifetimeSpendFen { get; init; }
    [Id(12)] public long QualifyingSpendFen { get; init; }
    [Id(13)] public DateTimeOffset? FirstPurchaseAt { get; init; }
    [Id(14)] public DateTimeOffset? LastPurchaseAt { get; init; }
    [Id(15)] public int PurchaseCount { get; init; }
    [Id(16)] public IReadOnlyList<LotInfo> Lots { get; init; } = [];
    [Id(17)] public IReadOnlyList<HoldInfo> Holds { get; init; } = [];
    [Id(18)] public int ProgramVersion { get; init; }
    [Id(19)] public DateTimeOffset AsOf { get; init; }
}
