namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The peak-day arrival rate over a profile of <see cref="Duration"/>: a linear ramp from 10 % to
/// 100 % of the peak over the first 15 %, the peak for 70 %, and a linear cool-down back to 10 %
/// over the last 15 %.
/// </summary>
internal sealed class ArrivalCurve(TimeSpan duration, double peakPerSecond)
{
    /// <summary>Share of the profile spent ramping up (and, at the end, cooling down).</summary>
    public const double EdgeShare = 0.15;

    /// <summary>The rate at the start of the ramp and the end of the cool-down, as a share of the peak.</summary>
    public const double FloorShare = 0.10;

    public TimeSpan Duration { get; } = duration;

    public double PeakPerSecond { get; } = peakPerSecond;

    public TimeSpan PeakStart => Duration * EdgeShare;

    public TimeSpan PeakEnd => Duration * (1 - EdgeShare);

    /// <summary>Arrivals per second at <paramref name="elapsed"/> into the profile (0 outside it).</summary>
    public double RateAt(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.Zero || elapsed > Duration)
        {
            return 0;
        }

        var edge = Duration.TotalSeconds * EdgeShare;
        var t = elapsed.TotalSeconds;
        double share;
        if (t < edge)
        {
            share = FloorShare + ((1 - FloorShare) * t / edge);
        }
        else if (t <= Duration.TotalSeconds - edge)
        {
            share = 1;
        }
        else
        {
            share = FloorShare + ((1 - FloorShare) * (Duration.TotalSeconds - t) / edge);
        }

        return PeakPerSecond * share;
    }

    public ProfileBand BandAt(TimeSpan elapsed) =>
        elapsed < PeakStart ? ProfileBand.Ramp : elapsed < PeakEnd ? ProfileBand.Peak : ProfileBand.CoolDown;

    /// <summary>Expected arrivals over the whole profile: the area under the curve.</summary>
    public double ExpectedArrivals => PeakPerSecond * Duration.TotalSeconds * ((2 * EdgeShare * (1 + FloorShare) / 2) + (1 - (2 * EdgeShare)));
}
