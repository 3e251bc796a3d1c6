using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Tests;

public sealed class ArrivalCurveTests
{
    private static readonly ArrivalCurve Curve = new(TimeSpan.FromSeconds(100), 500);

    [Theory]
    [InlineData(0, 50)] // ramp starts at 10 %
    [InlineData(7.5, 275)] // half-way up the ramp: 55 %
    [InlineData(15, 500)] // peak from 15 %
    [InlineData(50, 500)]
    [InlineData(85, 500)] // to 85 %
    [InlineData(92.5, 275)] // half-way down
    [InlineData(100, 50)] // back to 10 %
    public void RateAt_ThroughTheProfile_RampPeakCoolDown(double seconds, double expected)
    {
        Assert.Equal(expected, Curve.RateAt(TimeSpan.FromSeconds(seconds)), 6);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(100.001)]
    public void RateAt_OutsideTheProfile_Zero(double seconds)
    {
        Assert.Equal(0, Curve.RateAt(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData(0, "Ramp")]
    [InlineData(14.9, "Ramp")]
    [InlineData(15, "Peak")]
    [InlineData(84.9, "Peak")]
    [InlineData(85, "CoolDown")]
    public void BandAt_Boundaries_AtFifteenAndEightyFivePercent(double seconds, string expected)
    {
        Assert.Equal(Enum.Parse<ProfileBand>(expected), Curve.BandAt(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void ExpectedArrivals_Area_UnderTheCurve()
    {
        // Ramp and cool-down average 55 % over 15 s each, the peak 100 % over 70 s.
        Assert.Equal(500 * ((2 * 15 * 0.55) + 70), Curve.ExpectedArrivals, 6);
    }

    [Fact]
    public void PoissonArrivals_OverTheProfile_CountNearTheArea()
    {
        var arrivals = new PoissonArrivals(Curve, new Random(3));
        var count = 0;
        var peak = 0;
        for (var at = arrivals.NextAfter(0); at is { } t; at = arrivals.NextAfter(t))
        {
            count++;
            peak += Curve.BandAt(TimeSpan.FromSeconds(t)) == ProfileBand.Peak ? 1 : 0;
        }

        Assert.InRange(count, Curve.ExpectedArrivals * 0.97, Curve.ExpectedArrivals * 1.03);
        Assert.InRange(peak / 70.0, 500 * 0.96, 500 * 1.04);
    }
}
