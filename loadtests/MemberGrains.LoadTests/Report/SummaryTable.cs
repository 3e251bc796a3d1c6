using Spectre.Console;
using Spectre.Console.Rendering;

namespace MemberGrains.LoadTests.Report;

/// <summary>The final console table: each target with its measured figure and verdict.</summary>
internal static class SummaryTable
{
    public static IRenderable Render(RunResults results)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Targets");
        table.AddColumn("figure");
        table.AddColumn("target");
        table.AddColumn(new TableColumn("measured").RightAligned());
        table.AddColumn("verdict");
        foreach (var target in Target.All)
        {
            var value = results.Get(target.Figure);
            var verdict = target.Verdict(value);
            var colour = target.Met(value) switch { true => "green", false => "red", null => "grey" };
            table.AddRow(
                Markup.Escape(target.Figure),
                Markup.Escape(target.Goal),
                Markup.Escape(value is { } v ? RunResults.Format(target.Figure, v) : "-"),
                $"[{colour}]{Markup.Escape(verdict)}[/]");
        }

        return table;
    }
}
