using MemberGrains.LoadTests.Phases;
using MemberGrains.LoadTests.Report;

namespace MemberGrains.LoadTests.Tests;

/// <summary>The figures made of other figures (ratios, memory with history), their targets, and when a history's purchases happened.</summary>
public sealed class DerivedFiguresTests
{
    [Theory]
    [InlineData(3.0, 2.0, 1.5)]
    [InlineData(1.0, 4.0, 0.25)]
    public void Of_NumeratorOverDenominator(double numerator, double denominator, double expected) =>
        Assert.Equal(expected, Ratios.Of(numerator, denominator));

    [Theory]
    [InlineData(null, 2.0)]
    [InlineData(1.0, null)]
    [InlineData(1.0, 0.0)]
    [InlineData(1.0, -2.0)]
    [InlineData(double.NaN, 2.0)]
    [InlineData(1.0, double.NaN)]
    [InlineData(1.0, double.PositiveInfinity)]
    public void Of_MissingOrUnusable_Null(double? numerator, double? denominator) =>
        Assert.Null(Ratios.Of(numerator, denominator));

    [Fact]
    public void Set_TheRatioOfTwoFigures_SetUnderItsName()
    {
        var results = new RunResults([]);
        results.Set("accrue_tps_saturation", 3_000);
        results.Set("pgbench_batched_tps", 2_400);

        var ratio = Ratios.Set(results, "accrue_vs_pgbench_batched_ratio", "accrue_tps_saturation", "pgbench_batched_tps");

        Assert.Equal(1.25, ratio);
        Assert.Equal(1.25, results.Get("accrue_vs_pgbench_batched_ratio"));
        Assert.Contains("result accrue_vs_pgbench_batched_ratio 1.250", results.ResultLines());
    }

    [Fact]
    public void Set_AFigureMissing_NothingSet()
    {
        var results = new RunResults([]);
        results.Set("accrue_p50_ms_c1", 1.2);

        Assert.Null(Ratios.Set(results, "accrue_c1_vs_pgbench_c1_ratio", "accrue_p50_ms_c1", "pgbench_p50_ms_c1"));
        Assert.Null(results.Get("accrue_c1_vs_pgbench_c1_ratio"));
    }

    [Fact]
    public void BytesPerMemberWithHistory_PlainMemberPlusWhatTheHistoryAddedPerMember()
    {
        // 200 members grew the heap by 2,000,000 bytes: 10,000 each on top of a plain member's 1,500.
        Assert.Equal(11_500, Ratios.BytesPerMemberWithHistory(1_500, 50_000_000, 52_000_000, 200));
        Assert.Equal(1_000, Ratios.BytesPerMemberWithHistory(1_500, 50_000_000, 49_900_000, 200));
        Assert.Null(Ratios.BytesPerMemberWithHistory(null, 1, 2, 200));
        Assert.Null(Ratios.BytesPerMemberWithHistory(double.NaN, 1, 2, 200));
        Assert.Null(Ratios.BytesPerMemberWithHistory(1_500, 1, 2, 0));
    }

    [Theory]
    [InlineData("accrue_vs_pgbench_batched_ratio", 1.0, true)]
    [InlineData("accrue_vs_pgbench_batched_ratio", 0.999, false)]
    [InlineData("accrue_c1_vs_pgbench_c1_ratio", 1.5, true)]
    [InlineData("accrue_c1_vs_pgbench_c1_ratio", 1.501, false)]
    [InlineData("history50_vs_fresh_ratio", 1.2, true)]
    [InlineData("history50_vs_fresh_ratio", 1.21, false)]
    public void NewTargets_Thresholds(string figure, double value, bool met)
    {
        var target = Assert.Single(Target.All, t => t.Figure == figure);

        Assert.Equal(met, target.Met(value));
        Assert.Null(target.Met(double.NaN));
    }

    [Fact]
    public void NewFigures_PrintedEvenWhenMissing()
    {
        var lines = new RunResults().ResultLines().ToList();

        string[] added =
        [
            "pgbench_p50_ms_c1", "accrue_c1_vs_pgbench_c1_ratio", "pgbench_batched_tps", "accrue_vs_pgbench_batched_ratio",
            "accrue_p50_ms_fresh_c1", "accrue_p50_ms_history50", "history50_vs_fresh_ratio", "memory_bytes_per_member_history50",
        ];
        Assert.All(added, name => Assert.Contains($"result {name} NaN", lines));
        Assert.Equal("12345", RunResults.Format("memory_bytes_per_member_history50", 12_345.4));
        Assert.Equal("2400.0", RunResults.Format("pgbench_batched_tps", 2_400));
        Assert.Equal("0.812", RunResults.Format("accrue_p50_ms_history50", 0.8124));
        Assert.Equal("41.4", RunResults.Format("silo_cpu_us_screen_view", 41.38));
    }

    [Fact]
    public void OccurredAt_PurchasesEvenlySpreadOverTheSpanInOrder()
    {
        var now = new DateTimeOffset(2025, 11, 11, 12, 0, 0, TimeSpan.Zero);
        var spread = TimeSpan.FromHours(50);

        var times = Enumerable.Range(0, 50).Select(j => HistoryPhase.OccurredAt(now, spread, j, 50)!.Value).ToList();

        Assert.Equal(now - spread, times[0]);
        Assert.Equal(now - TimeSpan.FromHours(1), times[^1]);
        Assert.True(times.Zip(times.Skip(1)).All(p => p.Second - p.First == TimeSpan.FromHours(1)));
        Assert.Null(HistoryPhase.OccurredAt(now, TimeSpan.Zero, 0, 50));
    }

    [Theory]
    [InlineData(72, 60)]
    [InlineData(24, 23)]
    [InlineData(2, 1)]
    [InlineData(1, 0)]
    [InlineData(0, 0)]
    public void Spread_UnderTheProgramsOldestAcceptedAge(int maxAgeHours, int expectedHours) =>
        Assert.Equal(TimeSpan.FromHours(expectedHours), HistoryPhase.Spread(maxAgeHours));

    [Theory]
    [InlineData(100_000, 200, 1_050, 200, 1_050)]
    [InlineData(1_250, 200, 1_050, 200, 1_050)]
    [InlineData(1_249, 200, 1_050, 200, 1_049)]
    [InlineData(500, 2_000, 3_050, 125, 375)]
    [InlineData(3, 2_000, 3_050, 0, 3)]
    [InlineData(0, 200, 1_050, 0, 0)]
    public void Split_HistoryAsAskedWhenThereAreEnoughElseAQuarter(int untouched, int historyWanted, int freshWanted, int history, int fresh) =>
        Assert.Equal((history, fresh), HistoryPhase.Split(untouched, historyWanted, freshWanted));
}
