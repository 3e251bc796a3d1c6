namespace MemberGrains.Domain;

/// <summary>Where a member is in their life with the program.</summary>
public enum LifecycleStage
{
    Prospect,
    New,
    Active,
    Loyal,
    AtRisk,
    Churned,
}
