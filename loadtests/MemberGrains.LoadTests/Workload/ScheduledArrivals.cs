namespace MemberGrains.LoadTests.Workload;

/// <summary>Arrivals at given times (seconds from the start, ascending): a replay.</summary>
internal sealed class ScheduledArrivals(IReadOnlyList<double> times) : IArrivals
{
    private int _next;

    public double? NextAfter(double previousSeconds) => _next < times.Count ? times[_next++] : null;
}
