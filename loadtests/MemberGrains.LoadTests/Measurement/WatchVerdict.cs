namespace MemberGrains.LoadTests.Measurement;

/// <summary>The outcome of matching an accrual to a watching stream's views; <see cref="ShownAt"/> is a Stopwatch timestamp when shown.</summary>
internal readonly record struct WatchVerdict(WatchVerdictKind Kind, long ShownAt = 0)
{
    public static readonly WatchVerdict Pending = new(WatchVerdictKind.Pending);

    public static readonly WatchVerdict Uncertain = new(WatchVerdictKind.Uncertain);

    public static readonly WatchVerdict Missed = new(WatchVerdictKind.Missed);
}
