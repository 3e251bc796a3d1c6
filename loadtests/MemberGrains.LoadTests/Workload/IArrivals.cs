namespace MemberGrains.LoadTests.Workload;

/// <summary>When the arrivals of one stream happen, in seconds from the start of the profile. Asked by one thread only.</summary>
internal interface IArrivals
{
    /// <summary>The next arrival after the one at <paramref name="previousSeconds"/> (start: 0), or null when the stream has ended.</summary>
    double? NextAfter(double previousSeconds);
}
