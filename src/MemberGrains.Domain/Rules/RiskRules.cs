namespace MemberGrains.Domain.Rules;

/// <summary>Risk flags, their thresholds, and what each does to a redemption.</summary>
public sealed record RiskRules
{
    /// <summary>Silent <c>SilentDays</c> after at least <c>MinPurchases</c> purchases in the <c>LookbackDays</c> before the last one.</summary>
    public required ChurnRiskRule ChurnRisk { get; init; }

    /// <summary>Raised when a purchase reaches the daily earning cap; lasts <c>FlagHours</c>.</summary>
    public required FlagRule DailyCap { get; init; }

    /// <summary>More than <c>MaxPurchases</c> purchases within <c>WindowMinutes</c>.</summary>
    public required VelocityRule Velocity { get; init; }

    /// <summary>Refunded share of gross spend in the RFM window above <c>MaxRefundedPercent</c>, once there are <c>MinPurchases</c>.</summary>
    public required RefundAbuseRule RefundAbuse { get; init; }

    /// <summary>A member silent <c>DormantDays</c> redeeming at least <c>MinPoints</c>.</summary>
    public required DormantRedemptionRule DormantRedemption { get; init; }

    /// <summary>A member enrolled less than <c>WithinHours</c> ago redeeming at least <c>MinPoints</c>.</summary>
    public required NewMemberRedemptionRule NewMemberRedemption { get; init; }

    /// <summary>At least <c>MinPromotionPercent</c> of the purchases in the RFM window (and at least <c>MinPurchases</c>) made only of promoted lines.</summary>
    public required PromotionOnlyRule PromotionOnly { get; init; }
}

/// <summary>What a risk flag does to a redemption.</summary>
public enum RiskAction
{
    /// <summary>Visible to staff, no effect on the decision.</summary>
    Allow,

    /// <summary>The hold is made but needs staff approval to be captured.</summary>
    Review,

    /// <summary>The redemption is refused.</summary>
    Decline,
}

public sealed record ChurnRiskRule(int SilentDays, int MinPurchases, int LookbackDays, RiskAction OnRedemption);

public sealed record FlagRule(int FlagHours, RiskAction OnRedemption);

public sealed record VelocityRule(int MaxPurchases, int WindowMinutes, int FlagHours, RiskAction OnRedemption);

public sealed record RefundAbuseRule(decimal MaxRefundedPercent, int MinPurchases, RiskAction OnRedemption);

public sealed record DormantRedemptionRule(int DormantDays, long MinPoints, RiskAction OnRedemption);

public sealed record NewMemberRedemptionRule(int WithinHours, long MinPoints, RiskAction OnRedemption);

public sealed record PromotionOnlyRule(int MinPurchases, decimal MinPromotionPercent, RiskAction OnRedemption);
