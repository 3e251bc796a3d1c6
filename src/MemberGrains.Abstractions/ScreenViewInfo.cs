namespace MemberGrains.Abstractions;

/// <summary>What a store screen shows a member (see store_screen.proto, MemberView).</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ScreenViewInfo")]
public sealed record ScreenViewInfo
{
    /// <summary>The member number with its middle masked.</summary>
    [Id(0)] public required string MaskedMemberId { get; init; }
    /// <summary>The committed version the view shows.</summary>
    [Id(1)] public long Version { get; init; }
    [Id(2)] public DateTimeOffset AsOf { get; init; }
    /// <summary>The member consented to personalisation.</summary>
    [Id(3)] public bool Personalised { get; init; }
    [Id(4)] public long Balance { get; init; }
    [Id(5)] public long Available { get; init; }
    [Id(6)] public required TierProgress Tier { get; init; }
    [Id(7)] public required ExpiringPointsInfo ExpiringSoon { get; init; }
    [Id(8)] public IReadOnlyList<ScreenOfferInfo> Offers { get; init; } = [];
    [Id(9)] public IReadOnlyList<ReminderInfo> Reminders { get; init; } = [];
    [Id(10)] public IReadOnlyList<LocalizedTextInfo> AffinityTags { get; init; } = [];
    [Id(11)] public int ProgramVersion { get; init; }
    [Id(12)] public MemberLifecycle Lifecycle { get; init; }
}
