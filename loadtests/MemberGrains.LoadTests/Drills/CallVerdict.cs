namespace MemberGrains.LoadTests.Drills;

/// <summary>How a retried request ended.</summary>
internal enum CallVerdict
{
    /// <summary>Answered OK (possibly a replayed answer).</summary>
    Ok,

    /// <summary>Refused with a definite status (INVALID_ARGUMENT, NOT_FOUND, FAILED_PRECONDITION, ALREADY_EXISTS …): not retried.</summary>
    Refused,

    /// <summary>Still failing when the retry bound passed: outcome unknown.</summary>
    GaveUp,
}
