namespace MemberGrains.Domain.Rules;

/// <summary>What a refund does when the points it takes back were already spent.</summary>
/// <param name="WhenPointsSpent">The policy.</param>
public sealed record RefundRules(SpentPointsPolicy WhenPointsSpent);

/// <summary>Policies for taking back points that were already spent.</summary>
public enum SpentPointsPolicy
{
    /// <summary>Take back everything; the balance goes negative and later earnings pay it off.</summary>
    NegativeBalance,

    /// <summary>Take back up to the balance (never below zero); the rest is recorded as owed and withheld from later earnings.</summary>
    ClawbackWithDebt,
}
