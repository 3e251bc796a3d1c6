using System.Globalization;
using System.Text;

namespace MemberGrains.LoadTests.Report;

/// <summary>One line of a panel. A point with a NaN or infinite coordinate breaks the line there.</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>One of the vertically stacked charts: its own y axis (linear, or decades when <c>LogScale</c>) and legend.</summary>
public sealed record ChartPanel(string YLabel, IReadOnlyList<ChartSeries> Series, bool LogScale = false);

/// <summary>A shaded x range drawn behind the data of every panel, labelled above the first one (e.g. "ramp", "peak").</summary>
public sealed record ChartBand(double From, double To, string Label);

/// <summary>
/// Renders line charts as a standalone SVG 1.1 document with no dependencies: panels stacked on a
/// shared x axis, each with round 1-2-5 (or decade) ticks, gridlines, a legend and optional bands.
/// </summary>
public static class SvgChart
{
    private const double MarginLeft = 80;
    private const double MarginRight = 24;
    private const double TitleHeight = 36;
    private const double BandStripHeight = 18;
    private const double LegendRowHeight = 16;
    private const double PanelGap = 14;
    private const double BottomHeight = 48;
    private const double CharWidth = 7; // a generous average glyph width of 12px sans-serif text, for legend layout

    // Colour-blind-aware qualitative palette, dark enough to read on white.
    private static readonly string[] Palette =
        ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private static readonly string[] BandFills = ["#dbe6f4", "#f6e3c8", "#d9eed9", "#ecdcef", "#eeeecb"];

    public static string Render(string title, string xLabel, IReadOnlyList<ChartPanel> panels, IReadOnlyList<ChartBand>? bands = null, int width = 960, int panelHeight = 260)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0)
        {
            throw new ArgumentException("At least one panel is needed.", nameof(panels));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(width, 240);
        ArgumentOutOfRangeException.ThrowIfLessThan(panelHeight, 100);
        title ??= string.Empty;
        xLabel ??= string.Empty;
        var validBands = (bands ?? []).Where(b => double.IsFinite(b.From) && double.IsFinite(b.To) && b.To > b.From).ToList();

        var plotLeft = MarginLeft;
        var plotRight = width - MarginRight;
        var plotWidth = plotRight - plotLeft;
        var panelsTop = TitleHeight + (validBands.Count > 0 ? BandStripHeight : 0);
        // A legend that wraps onto more rows makes its panel taller rather than its plot shorter.
        var legends = panels.Select(p => LayoutLegend(p.Series, plotLeft, plotRight)).ToList();
        var panelHeights = legends.Select(l => panelHeight + ((l.Rows - 1) * LegendRowHeight)).ToList();
        var height = panelsTop + panelHeights.Sum() + BottomHeight;

        var (x0, x1) = XDomain(panels, validBands);
        double Sx(double x) => plotLeft + ((x - x0) / (x1 - x0) * plotWidth);
        var xStep = NiceStep((x1 - x0) / Math.Max(2, Math.Floor(plotWidth / 90)));
        var xTicks = TicksWithin(x0, x1, xStep);

        var svg = new StringBuilder();
        var idPrefix = "c" + Fnv(title + "|" + xLabel).ToString("x8", CultureInfo.InvariantCulture);
        svg.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{N(height)}\" viewBox=\"0 0 {width} {N(height)}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"));
        svg.Append("<title>").Append(Escape(title)).Append("</title>\n");
        svg.Append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        svg.Append(Inv($"<text x=\"{N(width / 2.0)}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#222222\">{Escape(title)}</text>\n"));

        for (var b = 0; b < validBands.Count; b++)
        {
            var band = validBands[b];
            var from = Sx(Math.Max(band.From, x0));
            var to = Sx(Math.Min(band.To, x1));
            svg.Append(Inv($"<text x=\"{N((from + to) / 2)}\" y=\"{N(TitleHeight + 12)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555555\">{Escape(band.Label)}</text>\n"));
        }

        for (var p = 0; p < panels.Count; p++)
        {
            var panel = panels[p];
            var top = panelsTop + panelHeights.Take(p).Sum();
            var legend = legends[p];
            var plotTop = top + (legend.Rows * LegendRowHeight) + 8;
            var plotBottom = top + panelHeights[p] - PanelGap;
            var plotHeight = plotBottom - plotTop;
            var scale = YScale.For(panel);
            double Sy(double y) => plotBottom - (scale.Fraction(y) * plotHeight);
            var clipId = Inv($"{idPrefix}p{p}");

            svg.Append(Inv($"<g id=\"{idPrefix}panel{p}\">\n"));
            svg.Append(Inv($"<clipPath id=\"{clipId}\"><rect x=\"{N(plotLeft - 2)}\" y=\"{N(plotTop - 2)}\" width=\"{N(plotWidth + 4)}\" height=\"{N(plotHeight + 4)}\"/></clipPath>\n"));

            for (var b = 0; b < validBands.Count; b++)
            {
                var band = validBands[b];
                var from = Sx(Math.Max(band.From, x0));
                var to = Sx(Math.Min(band.To, x1));
                svg.Append(Inv($"<rect x=\"{N(from)}\" y=\"{N(plotTop)}\" width=\"{N(to - from)}\" height=\"{N(plotHeight)}\" fill=\"{BandFills[b % BandFills.Length]}\" fill-opacity=\"0.7\"/>\n"));
            }

            foreach (var minor in scale.MinorTicks)
            {
                var y = Sy(minor);
                svg.Append(Inv($"<line x1=\"{N(plotLeft)}\" y1=\"{N(y)}\" x2=\"{N(plotRight)}\" y2=\"{N(y)}\" stroke=\"#f0f0f0\" stroke-width=\"1\"/>\n"));
            }

            foreach (var tick in xTicks)
            {
                var x = Sx(tick);
                svg.Append(Inv($"<line x1=\"{N(x)}\" y1=\"{N(plotTop)}\" x2=\"{N(x)}\" y2=\"{N(plotBottom)}\" stroke=\"#e2e2e2\" stroke-width=\"1\"/>\n"));
            }

            foreach (var tick in scale.Ticks)
            {
                var y = Sy(tick);
                svg.Append(Inv($"<line x1=\"{N(plotLeft)}\" y1=\"{N(y)}\" x2=\"{N(plotRight)}\" y2=\"{N(y)}\" stroke=\"#e2e2e2\" stroke-width=\"1\"/>\n"));
                svg.Append(Inv($"<line x1=\"{N(plotLeft - 5)}\" y1=\"{N(y)}\" x2=\"{N(plotLeft)}\" y2=\"{N(y)}\" stroke=\"#666666\" stroke-width=\"1\"/>\n"));
                svg.Append(Inv($"<text x=\"{N(plotLeft - 8)}\" y=\"{N(y + 4)}\" text-anchor=\"end\" fill=\"#444444\">{Escape(scale.Label(tick))}</text>\n"));
            }

            // Axes under the data: a series lying on zero (no errors) must stay visible.
            svg.Append(Inv($"<line x1=\"{N(plotLeft)}\" y1=\"{N(plotTop)}\" x2=\"{N(plotLeft)}\" y2=\"{N(plotBottom)}\" stroke=\"#666666\" stroke-width=\"1\"/>\n"));
            svg.Append(Inv($"<line x1=\"{N(plotLeft)}\" y1=\"{N(plotBottom)}\" x2=\"{N(plotRight)}\" y2=\"{N(plotBottom)}\" stroke=\"#666666\" stroke-width=\"1\"/>\n"));

            var anyData = false;
            svg.Append(Inv($"<g clip-path=\"url(#{clipId})\" fill=\"none\" stroke-width=\"1.6\" stroke-linejoin=\"round\" stroke-linecap=\"round\">\n"));
            for (var s = 0; s < panel.Series.Count; s++)
            {
                var colour = Palette[s % Palette.Length];
                foreach (var segment in Segments(panel.Series[s].Points))
                {
                    anyData = true;
                    if (segment.Count == 1)
                    {
                        var (x, y) = segment[0];
                        svg.Append(Inv($"<circle cx=\"{N(Sx(x))}\" cy=\"{N(Sy(scale.Clamp(y)))}\" r=\"2\" fill=\"{colour}\" stroke=\"none\"/>\n"));
                        continue;
                    }

                    svg.Append(Inv($"<polyline stroke=\"{colour}\" points=\""));
                    string? previous = null;
                    foreach (var (x, y) in segment)
                    {
                        var point = Inv($"{N(Sx(x))},{N(Sy(scale.Clamp(y)))}");
                        if (point != previous)
                        {
                            svg.Append(previous is null ? string.Empty : " ").Append(point);
                            previous = point;
                        }
                    }

                    svg.Append("\"/>\n");
                }
            }

            svg.Append("</g>\n");
            if (!anyData)
            {
                svg.Append(Inv($"<text x=\"{N((plotLeft + plotRight) / 2)}\" y=\"{N((plotTop + plotBottom) / 2)}\" text-anchor=\"middle\" fill=\"#999999\">no data</text>\n"));
            }

            var labelY = (plotTop + plotBottom) / 2;
            svg.Append(Inv($"<text x=\"18\" y=\"{N(labelY)}\" transform=\"rotate(-90 18 {N(labelY)})\" text-anchor=\"middle\" fill=\"#222222\">{Escape(panel.YLabel ?? string.Empty)}</text>\n"));

            for (var s = 0; s < panel.Series.Count; s++)
            {
                var (x, row) = legend.Positions[s];
                var y = top + 8 + (row * LegendRowHeight);
                var colour = Palette[s % Palette.Length];
                svg.Append(Inv($"<line x1=\"{N(x)}\" y1=\"{N(y)}\" x2=\"{N(x + 18)}\" y2=\"{N(y)}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n"));
                svg.Append(Inv($"<text x=\"{N(x + 24)}\" y=\"{N(y + 4)}\" fill=\"#222222\">{Escape(panel.Series[s].Name ?? string.Empty)}</text>\n"));
            }

            if (p == panels.Count - 1)
            {
                foreach (var tick in xTicks)
                {
                    var x = Sx(tick);
                    svg.Append(Inv($"<line x1=\"{N(x)}\" y1=\"{N(plotBottom)}\" x2=\"{N(x)}\" y2=\"{N(plotBottom + 5)}\" stroke=\"#666666\" stroke-width=\"1\"/>\n"));
                    svg.Append(Inv($"<text x=\"{N(x)}\" y=\"{N(plotBottom + 18)}\" text-anchor=\"middle\" fill=\"#444444\">{Escape(FormatLinear(tick, xStep))}</text>\n"));
                }

                svg.Append(Inv($"<text x=\"{N((plotLeft + plotRight) / 2)}\" y=\"{N(plotBottom + 38)}\" text-anchor=\"middle\" fill=\"#222222\">{Escape(xLabel)}</text>\n"));
            }

            svg.Append("</g>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static (double Min, double Max) XDomain(IReadOnlyList<ChartPanel> panels, List<ChartBand> bands)
    {
        var min = double.PositiveInfinity;
        var max = double.NegativeInfinity;
        foreach (var series in panels.SelectMany(p => p.Series))
        {
            foreach (var (x, y) in series.Points)
            {
                if (double.IsFinite(x) && double.IsFinite(y))
                {
                    min = Math.Min(min, x);
                    max = Math.Max(max, x);
                }
            }
        }

        foreach (var band in bands)
        {
            min = Math.Min(min, band.From);
            max = Math.Max(max, band.To);
        }

        if (!double.IsFinite(min))
        {
            return (0, 1);
        }

        return max > min ? (min, max) : (min, min + 1);
    }

    // Finite points in x order, split where a coordinate is NaN/infinite or where the x step is far
    // wider than the series' usual one (no samples there: drawing a line across would invent data).
    private static List<List<(double X, double Y)>> Segments(IReadOnlyList<(double X, double Y)> points)
    {
        var ordered = points.Where(p => !double.IsNaN(p.X)).OrderBy(p => p.X).ToList();
        var steps = new List<double>();
        for (var i = 1; i < ordered.Count; i++)
        {
            var dx = ordered[i].X - ordered[i - 1].X;
            if (double.IsFinite(dx) && dx > 0)
            {
                steps.Add(dx);
            }
        }

        steps.Sort();
        var gap = steps.Count >= 2 ? steps[steps.Count / 2] * 3 : double.PositiveInfinity;

        var segments = new List<List<(double X, double Y)>>();
        List<(double X, double Y)>? current = null;
        foreach (var point in ordered)
        {
            if (!double.IsFinite(point.X) || !double.IsFinite(point.Y))
            {
                current = null;
                continue;
            }

            if (current is not null && point.X - current[^1].X > gap)
            {
                current = null;
            }

            if (current is null)
            {
                current = [];
                segments.Add(current);
            }

            current.Add(point);
        }

        return segments;
    }

    private static (List<(double X, int Row)> Positions, int Rows) LayoutLegend(IReadOnlyList<ChartSeries> series, double left, double right)
    {
        var positions = new List<(double X, int Row)>();
        var x = left;
        var row = 0;
        foreach (var s in series)
        {
            var itemWidth = 24 + ((s.Name ?? string.Empty).Length * CharWidth) + 18;
            if (x > left && x + itemWidth > right)
            {
                x = left;
                row++;
            }

            positions.Add((x, row));
            x += itemWidth;
        }

        return (positions, Math.Max(1, row + 1));
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * magnitude;
    }

    private static List<double> TicksWithin(double min, double max, double step)
    {
        var ticks = new List<double>();
        var epsilon = step * 1e-9;
        for (var i = Math.Ceiling((min - epsilon) / step); i * step <= max + epsilon; i++)
        {
            // Multiply rather than accumulate, tidy binary noise (0.30000000000000004 -> 0.3), no -0.
            var tick = Math.Round(i * step, 10);
            ticks.Add(tick == 0 ? 0 : tick);
        }

        return ticks;
    }

    private static string FormatLinear(double value, double step)
    {
        var decimals = Math.Clamp((int)-Math.Floor(Math.Log10(step) + 1e-9), 0, 3);
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e6 && step >= 1e4)
        {
            return Compact(value / 1e6) + "M";
        }

        if (magnitude >= 1e4 && step >= 10)
        {
            return Compact(value / 1e3) + "k";
        }

        return Math.Round(value, decimals).ToString("0.###", CultureInfo.InvariantCulture);
    }

    private static string Compact(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A coordinate: invariant culture, at most two decimals, never "-0".</summary>
    private static string N(double value)
    {
        var rounded = Math.Round(value, 2);
        return (rounded == 0 ? 0 : rounded).ToString("0.##", CultureInfo.InvariantCulture);
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    // XML-escapes text and replaces characters XML 1.0 cannot carry at all (controls, lone surrogates).
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': escaped.Append("&amp;"); break;
                case '<': escaped.Append("&lt;"); break;
                case '>': escaped.Append("&gt;"); break;
                case '"': escaped.Append("&quot;"); break;
                case '\'': escaped.Append("&apos;"); break;
                case '\t' or '\n' or '\r': escaped.Append(' '); break;
                case < ' ' or '\uFFFE' or '\uFFFF': escaped.Append('\uFFFD'); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        escaped.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        escaped.Append('\uFFFD');
                    }
                    else
                    {
                        escaped.Append(c);
                    }

                    break;
            }
        }

        return escaped.ToString();
    }

    // Stable across processes (string.GetHashCode is not), so the same chart renders the same bytes.
    private static uint Fnv(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    /// <summary>A panel's y mapping: value to a 0..1 fraction of the plot height, ticks and labels.</summary>
    private sealed class YScale
    {
        private readonly bool _log;
        private readonly double _min;
        private readonly double _max;
        private readonly double _step;

        private YScale(bool log, double min, double max, double step, List<double> ticks, List<double> minorTicks)
        {
            _log = log;
            _min = min;
            _max = max;
            _step = step;
            Ticks = ticks;
            MinorTicks = minorTicks;
        }

        public List<double> Ticks { get; }

        public List<double> MinorTicks { get; }

        public static YScale For(ChartPanel panel)
        {
            var values = panel.Series.SelectMany(s => s.Points)
                .Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y))
                .Select(p => p.Y)
                .ToList();
            return panel.LogScale ? Log(values) : Linear(values);
        }

        public double Fraction(double y) => _log
            ? (Math.Log10(y) - _min) / (_max - _min)
            : (y - _min) / (_max - _min);

        // Log panels show values <= 0 (and below the lowest decade) on the lowest decade line.
        public double Clamp(double y) => _log ? Math.Max(y, Math.Pow(10, _min)) : y;

        public string Label(double tick)
        {
            if (!_log)
            {
                return FormatLinear(tick, _step);
            }

            return tick >= 0.001
                ? FormatLinear(tick, tick)
                : tick.ToString("0E0", CultureInfo.InvariantCulture);
        }

        private static YScale Linear(List<double> values)
        {
            var min = values.Count == 0 ? 0 : Math.Min(0, values.Min());
            var max = values.Count == 0 ? 1 : Math.Max(0, values.Max());
            if (max <= min)
            {
                max = min + 1;
            }

            var step = NiceStep((max - min) / 5);
            var low = Math.Floor(min / step) * step;
            var high = Math.Ceiling(max / step) * step;
            return new YScale(false, low, high, step, TicksWithin(low, high, step), []);
        }

        private static YScale Log(List<double> values)
        {
            var positive = values.Where(v => v > 0).ToList();
            var low = positive.Count == 0 ? 0 : Math.Floor(Math.Log10(positive.Min()) + 1e-9);
            var high = positive.Count == 0 ? 1 : Math.Ceiling(Math.Log10(positive.Max()) - 1e-9);
            if (high <= low)
            {
                high = low + 1;
            }

            var ticks = new List<double>();
            var minor = new List<double>();
            for (var decade = low; decade <= high; decade++)
            {
                var value = Math.Pow(10, decade);
                ticks.Add(value);
                if (decade < high && high - low <= 6)
                {
                    for (var m = 2; m <= 9; m++)
                    {
                        minor.Add(m * value);
                    }
                }
            }

            return new YScale(true, low, high, 1, ticks, minor);
        }
    }
}
