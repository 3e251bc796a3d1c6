namespace MemberGrains.Domain;

/// <summary>Reason codes of risk flags, as shown to staff and returned to tills. Never rename.</summary>
public static class RiskCodes
{
    public const string ChurnRisk = "churn_risk";
    public const string DailyCapReached = "daily_cap_reached";
    public const string Velocity = "velocity";
    public const string RefundAbuse = "refund_abuse";
    public const string DormantRedemption = "dormant_large_redemption";
    public const string NewMemberRedemption = "new_member_redemption";
    public const string PromotionOnly = "promotion_only";
}
