using MemberGrains.LoadTests.Report;

namespace MemberGrains.LoadTests.Tests;

public sealed class ReportMarkersTests
{
    [Fact]
    public void Replace_NoFile_TitleAndBothMarkers()
    {
        var text = ReportMarkers.Replace(null, "figures\n");

        Assert.Equal($"# Benchmarks\n\n{ReportMarkers.Start}\nfigures\n{ReportMarkers.End}\n", text);
    }

    [Fact]
    public void Replace_ExistingMarkers_OnlyTheGeneratedPartChanges()
    {
        var existing = $"# Benchmarks\n\nIntro by hand.\n\n{ReportMarkers.Start}\nold figures\nmore old\n{ReportMarkers.End}\n\n## Optimisation history\n\n- 2026-11: group commit.\n";

        var text = ReportMarkers.Replace(existing, "new figures");

        Assert.Equal($"# Benchmarks\n\nIntro by hand.\n\n{ReportMarkers.Start}\nnew figures\n{ReportMarkers.End}\n\n## Optimisation history\n\n- 2026-11: group commit.\n", text);
    }

    [Fact]
    public void Replace_Twice_SameAsOnce()
    {
        var once = ReportMarkers.Replace("# B\n\nnotes\n", "x");

        Assert.Equal(once, ReportMarkers.Replace(once, "x"));
    }

    [Fact]
    public void Replace_FileWithoutMarkers_AppendedKeepingTheText()
    {
        var text = ReportMarkers.Replace("# Benchmarks\n\nHand-written.\n", "figures");

        Assert.Equal($"# Benchmarks\n\nHand-written.\n\n{ReportMarkers.Start}\nfigures\n{ReportMarkers.End}\n", text);
    }
}
