namespace MemberGrains.Domain.Rules;

/// <summary>
/// What a basket must hold for an offer to apply: a minimum total (lines at the prices the till sent),
/// and at least <see cref="MinQuantity"/> units of lines of one of <see cref="Categories"/> or
/// <see cref="Skus"/> (neither given: of any line).
/// </summary>
public sealed record BasketCondition
{
    /// <summary>The basket's total is at least this.</summary>
    public long? MinSpendFen { get; init; }

    public IReadOnlyList<string>? Categories { get; init; }

    public IReadOnlyList<string>? Skus { get; init; }

    /// <summary>Units of the matching lines needed; left out: 1 when categories or SKUs are given.</summary>
    public int? MinQuantity { get; init; }
}
