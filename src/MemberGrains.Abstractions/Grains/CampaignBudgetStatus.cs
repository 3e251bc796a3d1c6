namespace MemberGrains.Abstractions.Grains;

/// <summary>An offer's campaign budget as committed in Postgres.</summary>
[GenerateSerializer, Immutable, Alias("membergrains.CampaignBudgetStatus")]
public sealed record CampaignBudgetStatus
{
    [Id(0)] public required string OfferId { get; init; }

    /// <summary>False when the offer has no budget: nothing can be taken for it.</summary>
    [Id(1)] public bool Defined { get; init; }

    /// <summary><c>money</c> (discount fen), <c>points</c> (bonus points) or <c>uses</c>; empty when not defined.</summary>
    [Id(2)] public string Unit { get; init; } = string.Empty;

    [Id(3)] public long Total { get; init; }

    /// <summary>What can still be granted: not spent and not held in an open lease.</summary>
    [Id(4)] public long Available { get; init; }

    /// <summary>What open leases hold (used or not yet); -1 when not read (a grant's answer).</summary>
    [Id(5)] public long Held { get; init; }

    /// <summary>Net units used so far (give-backs deducted); -1 when not read (a grant's answer).</summary>
    [Id(6)] public long Spent { get; init; }

    /// <summary>Leases not yet closed; -1 when not read (a grant's answer).</summary>
    [Id(7)] public int OpenLeases { get; init; }

    /// <summary>Counts the changes of what is available (grants, closes, totals): of two answers, the one with the higher revision is newer.</summary>
    [Id(8)] public long Revision { get; init; }
}
