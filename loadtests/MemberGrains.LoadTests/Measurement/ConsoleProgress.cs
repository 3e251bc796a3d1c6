using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace MemberGrains.LoadTests.Measurement;

/// <summary>
/// Shows a phase while it runs: a live table (operations, calls, rate, errors, p50/p99 so far) on
/// an interactive console; one plain line every few seconds otherwise (CI, piped output). Ticks the
/// phase's meter once a second either way.
/// </summary>
internal sealed class ConsoleProgress(IAnsiConsole console, bool interactive, TimeSpan plainEvery)
{
    public static ConsoleProgress Create()
    {
        var interactive = !System.Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (!interactive)
        {
            // Piped output has no width: don't wrap status lines and tables at 80 columns.
            AnsiConsole.Profile.Width = 240;
        }

        return new ConsoleProgress(AnsiConsole.Console, interactive, TimeSpan.FromSeconds(5));
    }

    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

    public IAnsiConsole Console { get; } = console;

    /// <summary>Runs <paramref name="work"/> with <paramref name="meter"/> ticking and shown; returns its result once done.</summary>
    public async Task<T> RunAsync<T>(PhaseMeter meter, Func<Task<T>> work)
    {
        var task = work();
        if (interactive)
        {
            await Console.Live(Render(meter)).AutoClear(true).StartAsync(async context =>
            {
                while (!task.IsCompleted)
                {
                    await Task.WhenAny(task, Task.Delay(1000));
                    meter.Tick();
                    context.UpdateTarget(Render(meter));
                }
            });
        }
        else
        {
            var lastLine = DateTime.UtcNow;
            while (!task.IsCompleted)
            {
                await Task.WhenAny(task, Task.Delay(1000));
                meter.Tick();
                if (DateTime.UtcNow - lastLine >= plainEvery && !task.IsCompleted)
                {
                    lastLine = DateTime.UtcNow;
                    Console.WriteLine(PlainLine(meter), new Style());
                }
            }
        }

        var result = await task;
        meter.Tick();
        return result;
    }

    public Task RunAsync(PhaseMeter meter, Func<Task> work) => RunAsync(meter, async () =>
    {
        await work();
        return true;
    });

    /// <summary>The final table of a phase.</summary>
    public void Summarise(PhaseMeter meter) => Console.Write(Render(meter, final: true));

    public void Line(string text) => Console.MarkupLine(Markup.Escape(text));

    /// <summary>A phase's title, with the time since the run started.</summary>
    public void Heading(string text) =>
        Console.Write(new Rule($"[bold]{Markup.Escape(text)}[/] [grey]+{_clock.Elapsed:m\\:ss}[/]").LeftJustified());

    private static string PlainLine(PhaseMeter meter)
    {
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"[{meter.Title} {meter.Seconds:0}s]") };
        if (meter.Status?.Invoke() is { Length: > 0 } status)
        {
            parts.Add(status);
        }

        foreach (var s in meter.Summaries().Where(s => s.Calls > 0 || s.Errors > 0))
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{s.Operation} {s.Calls:N0} ({meter.LastRate(s.Operation):N0}/s) err {s.Errors} p50 {s.P50Ms:0.000} p99 {s.P99Ms:0.000} ms"));
        }

        return string.Join(" | ", parts);
    }

    private static IRenderable Render(PhaseMeter meter, bool final = false)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{Markup.Escape(meter.Title)} — {meter.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        table.AddColumn("operation");
        table.AddColumn(new TableColumn("calls").RightAligned());
        table.AddColumn(new TableColumn(final ? "calls/s" : "rate/s").RightAligned());
        table.AddColumn(new TableColumn("errors").RightAligned());
        table.AddColumn(new TableColumn("p50 ms").RightAligned());
        table.AddColumn(new TableColumn("p99 ms").RightAligned());
        table.AddColumn(new TableColumn("max ms").RightAligned());
        foreach (var s in meter.Summaries())
        {
            var rate = final ? s.PerSecond : meter.LastRate(s.Operation);
            table.AddRow(
                Markup.Escape(s.Operation),
                s.Calls.ToString("N0", CultureInfo.InvariantCulture),
                rate.ToString("N0", CultureInfo.InvariantCulture),
                s.Errors == 0 ? "0" : $"[red]{s.Errors.ToString("N0", CultureInfo.InvariantCulture)}[/]",
                s.P50Ms.ToString("0.000", CultureInfo.InvariantCulture),
                s.P99Ms.ToString("0.000", CultureInfo.InvariantCulture),
                s.MaxMs.ToString("0.0", CultureInfo.InvariantCulture));
        }

        if (meter.Status?.Invoke() is { Length: > 0 } status)
        {
            table.Caption(Markup.Escape(status));
        }

        return table;
    }
}
