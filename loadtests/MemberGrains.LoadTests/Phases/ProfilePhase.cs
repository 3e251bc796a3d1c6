using System.Globalization;
using System.Text;
using Grpc.Core;
using HdrHistogram;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>
/// Phase 9: the peak-day profile, open loop. Checkout sessions and screen views (GetMemberView)
/// arrive as Poisson processes whose rates follow the ramp / peak / cool-down curve (or, in UCI
/// mode, checkouts replay the file's invoices); a share of the checkouts have a screen watching
/// their member (<see cref="ScreenWatchers"/>). Histograms per operation per band; a per-second
/// series for the chart; the watching screens' update latency.
/// </summary>
internal static class ProfilePhase
{
    private const string All = "all calls";

    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var traffic = run.Traffic;
        var duration = options.ProfileDuration;
        var checkoutCurve = new ArrivalCurve(duration, options.PeakCheckoutsPerSecond);
        var screenCurve = new ArrivalCurve(duration, options.PeakScreenViewsPerSecond);
        var meter = new PhaseMeter($"Peak-day profile, open loop, {duration.TotalMinutes:0.##} min", Ops.Profile);
        var scheduler = new OpenLoopScheduler(options.MaxInFlightSessions);
        var watchers = new ScreenWatchers(traffic, options.Watchers, options.WatchShare, options.WatchLead, options.WatchBound);
        var bands = Enum.GetValues<ProfileBand>().ToDictionary(b => b, _ => Ops.Profile.Append(All).ToDictionary(op => op, _ => (HistogramBase)new LongHistogram(OpRecorder.HighestMicros, 3)));
        var bandSeconds = Enum.GetValues<ProfileBand>().ToDictionary(b => b, _ => 0.0);
        var whole = new LongHistogram(OpRecorder.HighestMicros, 3);
        var series = new ProfileSeries
        {
            PeakStartSeconds = checkoutCurve.PeakStart.TotalSeconds,
            PeakEndSeconds = checkoutCurve.PeakEnd.TotalSeconds,
            DurationSeconds = duration.TotalSeconds,
        };
        foreach (var op in Ops.Profile)
        {
            series.Throughput[op] = [];
        }

        meter.Interval = sample =>
        {
            var middle = sample.Elapsed - (sample.Length / 2);
            var band = checkoutCurve.BandAt(middle < duration ? middle : duration);
            var merged = new LongHistogram(OpRecorder.HighestMicros, 3);
            foreach (var (op, interval) in sample.ByOperation)
            {
                bands[band][op].Add(interval);
                merged.Add(interval);
                series.Throughput[op].Add(sample.Length.TotalSeconds > 0 ? interval.TotalCount / sample.Length.TotalSeconds : 0);
            }

            bands[band][All].Add(merged);
            bandSeconds[band] += sample.Length.TotalSeconds;
            whole.Add(merged);
            series.Seconds.Add(sample.Elapsed.TotalSeconds);
            series.AllP50Ms.Add(merged.TotalCount == 0 ? 0 : merged.GetValueAtPercentile(50) / 1000.0);
            series.AllP99Ms.Add(merged.TotalCount == 0 ? 0 : merged.GetValueAtPercentile(99) / 1000.0);
            var accrue = sample.ByOperation[Ops.Accrue];
            series.AccrueP99Ms.Add(accrue.TotalCount == 0 ? 0 : accrue.GetValueAtPercentile(99) / 1000.0);
        };
        var started = DateTime.UtcNow;
        meter.Status = () =>
        {
            var elapsed = DateTime.UtcNow - started;
            return string.Create(
                CultureInfo.InvariantCulture,
                $"{Name(checkoutCurve.BandAt(elapsed))}: target {checkoutCurve.RateAt(elapsed):N0} checkouts/s + {screenCurve.RateAt(elapsed):N0} views/s; sessions {scheduler.Launched:N0}, in flight {scheduler.InFlight:N0}, dropped {scheduler.Dropped:N0}; screens watching {watchers.Open:N0}, accruals shown {watchers.Shown:N0}, missed {watchers.Missed:N0}, streams broken {watchers.Broken:N0}");
        };

        using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sessionToken = abandon.Token;
        ArrivalStream checkouts = run.Uci is { } uci
            ? new ArrivalStream("invoices", new ScheduledArrivals(uci.Times(duration)), (at, i) => uci.ReplayAsync(traffic, meter, watchers, i, at, sessionToken), meter[Ops.Quote])
            : new ArrivalStream(
                "checkouts",
                new PoissonArrivals(checkoutCurve, new Random(options.Seed + 9)),
                (at, _) =>
                {
                    var member = traffic.Popularity.Next(Random.Shared);
                    var store = traffic.StoreFor(member, Random.Shared);
                    var basket = traffic.Baskets.Next(Random.Shared);
                    return watchers.CheckoutAsync(member, store, at, start => traffic.CheckoutAsync(meter, member, store, basket, start, Random.Shared, sessionToken), sessionToken);
                },
                meter[Ops.Quote]);
        var screens = new ArrivalStream(
            "screen views",
            new PoissonArrivals(screenCurve, new Random(options.Seed + 10)),
            (at, _) =>
            {
                var member = traffic.Popularity.Next(Random.Shared);
                return traffic.ScreenViewAsync(meter[Ops.ScreenView], member, traffic.StoreFor(member, Random.Shared), at, sessionToken);
            },
            meter[Ops.ScreenView]);

        var mutationsBefore = traffic.Log.Count;
        meter.Start();
        started = DateTime.UtcNow;
        await run.Progress.RunAsync(meter, () => scheduler.RunAsync(duration, [checkouts, screens], options.CallDeadline + TimeSpan.FromSeconds(2), abandon, cancellationToken));
        meter.Stop();
        cancellationToken.ThrowIfCancellationRequested();
        run.Progress.Summarise(meter);
        run.Results.Series = series;

        var recorders = meter.Recorders.ToList();
        var errors = recorders.Sum(r => r.ErrorCount) + scheduler.Crashed;
        var byCode = recorders.SelectMany(r => r.Errors).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Sum(e => e.Value));
        var details = recorders.SelectMany(r => r.FirstDetails.Select(d => (Code: d.Key, Text: $"{r.Name}: {d.Value}"))).GroupBy(d => d.Code).ToDictionary(g => g.Key, g => g.First().Text);
        var unknown = traffic.Log.Records.Skip(mutationsBefore).Count(r => r.Outcome == MutationOutcome.Unknown);
        var peak = bands[ProfileBand.Peak];
        var peakSeconds = Math.Max(bandSeconds[ProfileBand.Peak], 1e-9);
        run.Results.Set("accrue_p99_ms_at_peak", Ms(peak[Ops.Accrue], 99));
        run.Results.Set("peak_p99_ms", Ms(peak[All], 99));
        run.Results.Set("profile_p99_ms", Ms(whole, 99));
        run.Results.Set("errors", errors);
        run.Results.Set("unknown_outcome", unknown);
        run.Results.Set("dropped_arrivals", scheduler.Dropped);
        run.Results.Set("peak_checkouts_per_s", peak[Ops.Accrue].TotalCount / peakSeconds);
        run.Results.Set("peak_screen_views_per_s", peak[Ops.ScreenView].TotalCount / peakSeconds);
        var updates = watchers.Updates.TakeInterval();
        var firstViews = watchers.FirstViews.TakeInterval();
        run.Results.Set("watch_update_p99_ms", updates.TotalCount == 0 ? double.NaN : Ms(updates, 99));
        run.Results.Set("watch_update_p50_ms", updates.TotalCount == 0 ? double.NaN : Ms(updates, 50));
        run.Results.Set("watch_errors", watchers.Broken);
        run.Results.Set("watch_missed", watchers.Missed);
        run.Results.Set("watch_updates", watchers.Shown);
        run.Results.Set("watch_uncertain", watchers.Uncertain);
        run.Results.Set("watch_sessions", watchers.Sessions);
        run.Results.Set("watch_streams_max", watchers.PeakOpen);
        run.Results.Set("watch_first_view_p99_ms", firstViews.TotalCount == 0 ? double.NaN : Ms(firstViews, 99));
        if (scheduler.Crashed > 0)
        {
            run.Results.Failures.Add($"profile: {scheduler.Crashed} sessions threw inside the generator");
        }

        run.Results.Section("Peak-day profile", Describe(run, meter, bands, bandSeconds, whole, byCode, details, scheduler, unknown, checkoutCurve, screenCurve) + Watching(watchers, updates, firstViews, meter.Seconds));
    }

    private static string Watching(ScreenWatchers watchers, HistogramBase updates, HistogramBase firstViews, double seconds)
    {
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine("Screens watching checkouts:");
        text.AppendLine();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{watchers.Share:P0} of the checkout sessions get a screen watching their member while a watcher is free ({watchers.Capacity:N0} streams at most; at most {watchers.PeakOpen:N0} were open at once): `StoreScreen/WatchMember` is opened at the session's arrival and its checkout starts {watchers.Lead.TotalSeconds:0.##} s later (its first call timed from then), and the stream is closed once every accrual of the member answered meanwhile is shown, or {watchers.Bound.TotalSeconds:0.##} s after the last one. "));
        text.AppendLine("An update's latency runs from the till's OK answer to the Accrue (taken when it arrives) until the stream delivers the view that shows it: the first view above the version the stream had shown when the Accrue was sent whose balance is the receipt's, or that of a change of the member sent after that answer (a view may skip a version). 0.001 ms when the view arrived first. Accruals raced by another change of the member, whose view cannot be told, are not measured.");
        text.AppendLine();
        text.AppendLine(Markdown.Latencies(
            [
                LatencySummary.Of(Ops.WatchFirstView, firstViews, seconds, watchers.FirstViews.ErrorCount),
                LatencySummary.Of(Ops.WatchUpdate, updates, seconds, watchers.Missed),
            ]));
        IReadOnlyList<string>[] rows =
        [
            new[] { "checkout sessions watched", Markdown.N(watchers.Sessions) },
            new[] { "… picked but unwatched: every watcher busy", Markdown.N(watchers.Full) },
            new[] { "… picked but unwatched: member already watched, or a change of it in flight", Markdown.N(watchers.Busy) },
            new[] { "accruals of watched members shown (`watch_updates`)", Markdown.N(watchers.Shown) },
            new[] { "**watch_missed**: not shown within the bound or before the stream broke", Markdown.N(watchers.Missed) },
            new[] { "raced by another change of the member, not measured (`watch_uncertain`)", Markdown.N(watchers.Uncertain) },
            new[] { "**watch_errors**: streams that failed or ended before the screen closed them", Markdown.N(watchers.Broken) },
        ];
        text.AppendLine(Markdown.Table(["watching", "count"], rows));
        if (watchers.FirstBreaks.Count > 0)
        {
            text.AppendLine("First message seen for each status a stream broke with: " + string.Join("; ", watchers.FirstBreaks.Select(kv => $"{kv.Key}: {Shorten(kv.Value)}")) + ".");
            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Name(ProfileBand band) => band switch
    {
        ProfileBand.Ramp => "Ramp",
        ProfileBand.Peak => "Peak plateau",
        _ => "Cool-down",
    };

    private static string Shorten(string text) => (text.Length > 160 ? text[..160] + "…" : text).ReplaceLineEndings(" ");

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private static string Describe(
        RunContext run,
        PhaseMeter meter,
        Dictionary<ProfileBand, Dictionary<string, HistogramBase>> bands,
        Dictionary<ProfileBand, double> bandSeconds,
        HistogramBase whole,
        Dictionary<StatusCode, long> byCode,
        Dictionary<StatusCode, string> details,
        OpenLoopScheduler scheduler,
        long unknown,
        ArrivalCurve checkouts,
        ArrivalCurve screens)
    {
        var text = new StringBuilder();
        var o = run.Options;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Open loop for {o.ProfileDuration.TotalMinutes:0.##} min: ramp {checkouts.PeakStart.TotalSeconds:0} s (10 % → 100 %), peak {(checkouts.PeakEnd - checkouts.PeakStart).TotalSeconds:0} s, cool-down {(o.ProfileDuration - checkouts.PeakEnd).TotalSeconds:0} s (100 % → 10 %). "));
        text.AppendLine(run.Uci is null
            ? string.Create(CultureInfo.InvariantCulture, $"Peak rates: {o.PeakCheckoutsPerSecond:N0} checkout sessions/s and {o.PeakScreenViewsPerSecond:N0} screen views/s, each a Poisson process (expected {checkouts.ExpectedArrivals:N0} checkouts and {screens.ExpectedArrivals:N0} views over the profile).")
            : string.Create(CultureInfo.InvariantCulture, $"Checkouts replay the UCI invoices ({run.Uci.Describe(o.ProfileDuration)}); screen views are a Poisson process peaking at {o.PeakScreenViewsPerSecond:N0}/s."));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Latency is measured from each call's intended start (the session's scheduled arrival for its first call, the previous call's completion for the next), so waiting behind a slow server counts. Sessions started: {scheduler.Launched:N0}; dropped at the in-flight cap of {o.MaxInFlightSessions:N0}: {scheduler.Dropped:N0}; still in flight {(o.CallDeadline + TimeSpan.FromSeconds(2)).TotalSeconds:0} s after the last arrival, so cancelled: {scheduler.Abandoned:N0}; mutations with unknown outcome (deadline exceeded, connection lost): {unknown:N0}."));
        text.AppendLine();
        text.AppendLine("Whole profile:");
        text.AppendLine();
        var totals = meter.Summaries().ToList();
        totals.Add(LatencySummary.Of(All, whole, meter.Seconds, totals.Sum(s => s.Errors)));
        text.AppendLine(Markdown.Latencies(totals));
        foreach (var band in Enum.GetValues<ProfileBand>())
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{Name(band)} ({bandSeconds[band]:0} s; calls counted by when they completed):"));
            text.AppendLine();
            text.AppendLine(Markdown.Latencies(bands[band].Select(kv => LatencySummary.Of(kv.Key, kv.Value, bandSeconds[band], 0)).Where(s => s.Calls > 0), errors: false));
        }

        text.AppendLine("Errors by status code (whole profile; dropped arrivals count as errors):");
        text.AppendLine();
        var rows = byCode.OrderByDescending(kv => kv.Value)
            .Select(kv => (IReadOnlyList<string>)[kv.Key.ToString(), Markdown.N(kv.Value), Shorten(details.GetValueOrDefault(kv.Key, string.Empty))])
            .ToList();
        if (scheduler.Dropped > 0)
        {
            rows.Add(["dropped (in-flight cap)", Markdown.N(scheduler.Dropped), string.Empty]);
        }

        if (rows.Count == 0)
        {
            rows.Add(["none", "0", string.Empty]);
        }

        text.AppendLine(Markdown.Table(["status", "calls", "first message seen"], rows));
        return text.ToString();
    }
}
