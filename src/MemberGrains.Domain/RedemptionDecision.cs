namespace MemberGrains.Domain;

/// <summary>What the program decided about a redemption. Stored by number in the member state: never renumber.</summary>
public enum RedemptionDecision
{
    /// <summary>Go ahead.</summary>
    Approve = 0,

    /// <summary>Held, but staff must approve before capture (reasons given).</summary>
    Review = 1,

    /// <summary>Refused (reasons given).</summary>
    Decline = 2,
}
