namespace MemberGrains.Domain.Rules;

/// <summary>
/// How far from the server's clock a till's <c>occurred_at</c> may be: a store whose network
/// dropped sends its queued checkouts later, each at the time it happened.
/// </summary>
/// <param name="MaxAgeHours">Oldest accepted, in hours before now (at most 168: request ids are remembered a week).</param>
/// <param name="MaxAheadSeconds">Furthest a till's clock may run ahead of the server's, in seconds.</param>
public sealed record OfflineRules(int MaxAgeHours, int MaxAheadSeconds)
{
    /// <summary>What a program without an <c>offline</c> section uses.</summary>
    public static OfflineRules Default { get; } = new(72, 300);
}
