namespace MemberGrains.Domain.Rules;

/// <summary>A member has the affinity when at least <see cref="MinPurchases"/> of their purchases within the last <see cref="WithinDays"/> store-local days held the category.</summary>
/// <param name="MinPurchases">Purchases needed (1 to the purchase times a member keeps per category).</param>
/// <param name="WithinDays">The window, in store-local days up to today.</param>
/// <param name="Tag">The tag screens show ("Fresh-food regular").</param>
public sealed record AffinityRule(int MinPurchases, int WithinDays, LocalizedText Tag);
