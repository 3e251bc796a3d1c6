namespace MemberGrains.LoadTests.Workload;

/// <summary>The three parts of the peak-day profile.</summary>
internal enum ProfileBand
{
    /// <summary>First 15 %: from 10 % to 100 % of the peak rate.</summary>
    Ramp,

    /// <summary>Middle 70 %: the peak rate.</summary>
    Peak,

    /// <summary>Last 15 %: from 100 % back to 10 % of the peak rate.</summary>
    CoolDown,
}
