namespace MemberGrains.LoadTests.Measurement;

/// <summary>A view a watching stream delivered: the member's version and balance it shows, and when it arrived (Stopwatch timestamp).</summary>
internal readonly record struct WatchedView(long Version, long Balance, long ArrivedAt);
