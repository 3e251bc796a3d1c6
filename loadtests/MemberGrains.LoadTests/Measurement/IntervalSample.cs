using HdrHistogram;

namespace MemberGrains.LoadTests.Measurement;

/// <summary>What one meter tick collected: the time since the meter started, the tick's length, each operation's interval histogram.</summary>
internal sealed record IntervalSample(TimeSpan Elapsed, TimeSpan Length, IReadOnlyDictionary<string, HistogramBase> ByOperation);
