namespace MemberGrains.Domain.Rules;

/// <summary>
/// Lifecycle stages: prospect (no purchase yet); churned (silent <see cref="ChurnedAfterDays"/>);
/// at-risk (silent <see cref="AtRiskAfterDays"/>); new (first purchase within <see cref="NewDays"/>
/// and at most <see cref="NewMaxPurchases"/> purchases); loyal (frequency and monetary scores at
/// least <see cref="LoyalMinScore"/>); otherwise active.
/// </summary>
public sealed record LifecycleRules(int NewDays, int NewMaxPurchases, int LoyalMinScore, int AtRiskAfterDays, int ChurnedAfterDays);
