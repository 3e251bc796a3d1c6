namespace MemberGrains.Abstractions.Grains;

/// <summary>What a silo's lease request got.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.BudgetLeaseGrant")]
public sealed record BudgetLeaseGrant
{
    /// <summary>The lease granted; null when less than asked for is available (or the offer has no budget).</summary>
    [Id(0)] public long? LeaseId { get; init; }

    /// <summary>Units granted (0 without a lease).</summary>
    [Id(1)] public long Amount { get; init; }

    /// <summary>How long the lease is valid from the grant; the silo stops using it a margin before, timed from when it asked.</summary>
    [Id(2)] public TimeSpan Duration { get; init; }

    /// <summary>The budget after this grant.</summary>
    [Id(3)] public required CampaignBudgetStatus Status { get; init; }
}
