namespace MemberGrains.Domain;

/// <summary>Membership tier, ordered from lowest to highest. Stored by number in the member state: never renumber.</summary>
public enum Tier
{
    Regular = 0,
    Silver = 1,
    Gold = 2,
    Platinum = 3,
}
