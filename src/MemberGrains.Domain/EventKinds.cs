namespace MemberGrains.Domain;

/// <summary>Names of member events, as stored in the outbox. Never rename.</summary>
public static class EventKinds
{
    public const string Enrolled = "enrolled";
    public const string FirstPurchase = "first_purchase";
    public const string TierChanged = "tier_changed";
    public const string ChurnRiskRaised = "churn_risk_raised";
    public const string BirthdayWeekStarted = "birthday_week_started";
    public const string PointsExpiringSoon = "points_expiring_soon";
    public const string RiskFlagRaised = "risk_flag_raised";
    public const string CouponIssued = "coupon_issued";
}
