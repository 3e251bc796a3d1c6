namespace MemberGrains.Domain;

/// <summary>What the program decided about a redemption.</summary>
public enum RedemptionDecision
{
    /// <summary>Go ahead.</summary>
    Approve,

    /// <summary>Held, but staff must approve before capture (reasons given).</summary>
    Review,

    /// <summary>Refused (reasons given).</summary>
    Decline,
}
