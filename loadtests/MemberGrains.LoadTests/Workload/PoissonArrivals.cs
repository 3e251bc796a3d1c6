namespace MemberGrains.LoadTests.Workload;

/// <summary>A Poisson process whose rate follows an <see cref="ArrivalCurve"/>: exponential gaps at the rate of the moment.</summary>
internal sealed class PoissonArrivals(ArrivalCurve curve, Random random) : IArrivals
{
    public double? NextAfter(double previousSeconds)
    {
        var rate = curve.RateAt(TimeSpan.FromSeconds(previousSeconds));
        if (rate <= 0)
        {
            return previousSeconds < curve.Duration.TotalSeconds ? previousSeconds + 0.1 : null;
        }

        var next = previousSeconds - (Math.Log(1 - random.NextDouble()) / rate);
        return next < curve.Duration.TotalSeconds ? next : null;
    }
}
