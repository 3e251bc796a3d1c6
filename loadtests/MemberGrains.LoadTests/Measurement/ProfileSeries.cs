namespace MemberGrains.LoadTests.Measurement;

/// <summary>The peak-day profile second by second: calls per second per operation, p50/p99 of all calls, Accrue p99; and where the bands start and end.</summary>
internal sealed class ProfileSeries
{
    public List<double> Seconds { get; } = [];

    public Dictionary<string, List<double>> Throughput { get; } = new(StringComparer.Ordinal);

    public List<double> AllP50Ms { get; } = [];

    public List<double> AllP99Ms { get; } = [];

    public List<double> AccrueP99Ms { get; } = [];

    public double PeakStartSeconds { get; set; }

    public double PeakEndSeconds { get; set; }

    public double DurationSeconds { get; set; }
}
