namespace MemberGrains.LoadTests.Measurement;

/// <summary>Whether a watching screen showed an accrual.</summary>
internal enum WatchVerdictKind
{
    /// <summary>Not shown yet; the watch is still open.</summary>
    Pending,

    /// <summary>Shown by a view that arrived at <see cref="WatchVerdict.ShownAt"/>.</summary>
    Shown,

    /// <summary>Another change of the member raced it, so which view shows it cannot be told: not measured.</summary>
    Uncertain,

    /// <summary>Not shown while the watch was open (within the bound, or before the stream broke).</summary>
    Missed,
}
