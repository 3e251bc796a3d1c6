namespace MemberGrains.Domain.Rules;

/// <summary>
/// The lines an offer's reward works on: lines of one of <see cref="Categories"/> or one of
/// <see cref="Skus"/> (neither given: every line), and only promoted lines when <see cref="PromotedOnly"/>.
/// </summary>
public sealed record OfferScope
{
    public IReadOnlyList<string>? Categories { get; init; }

    public IReadOnlyList<string>? Skus { get; init; }

    /// <summary>Only lines bought at a promotion price.</summary>
    public bool? PromotedOnly { get; init; }
}
