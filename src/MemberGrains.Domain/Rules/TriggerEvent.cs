namespace MemberGrains.Domain.Rules;

/// <summary>Member events that issue coupons.</summary>
public enum TriggerEvent
{
    /// <summary>The member's birthday week began (once a year).</summary>
    BirthdayWeekStarted,

    /// <summary>Churn risk was raised (once per silent spell).</summary>
    ChurnRiskRaised,

    /// <summary>An activity was recorded for the <c>count</c>-th time.</summary>
    ActivityCount,
}
