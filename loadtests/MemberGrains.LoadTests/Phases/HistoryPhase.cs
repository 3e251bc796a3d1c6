using System.Diagnostics;
using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Report;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Phases;

/// <summary>
/// Members with a realistic history: <see cref="RunOptions.HistoryMembers"/> members untouched so
/// far (the least popular ones) each make <see cref="RunOptions.HistoryPurchases"/> purchases
/// through the real Accrue (generated baskets, everyday and program categories, distinct request
/// ids, logged for verification like every mutation), sent late with <c>occurred_at</c> spread over
/// the last days the program accepts, so the daily cap is not what they meet. The silo's managed
/// heap after a full GC before and after gives the bytes such a member takes; then one caller
/// alternates an Accrue of a history member with one of a fresh member (enrolled, resident, no
/// purchase yet), so both are measured under the same conditions.
/// </summary>
internal static class HistoryPhase
{
    public const string BuildOp = "Accrue (history, sent late)";
    public const string HistoryOp = "Accrue (history 50)";
    public const string FreshOp = "Accrue (fresh)";
    public const string ActivateOp = "GetMember (fresh members)";
    private const int WarmUpCalls = 50;

    public static async Task RunAsync(RunContext run, CancellationToken cancellationToken)
    {
        var options = run.Options;
        var traffic = run.Traffic;
        var purchases = options.HistoryPurchases;
        var calls = options.SingleClientCalls;
        var untouched = Untouched(run);
        var (historyCount, freshCount) = Split(untouched.Count, options.HistoryMembers, WarmUpCalls + calls);
        if (historyCount == 0 || freshCount <= WarmUpCalls)
        {
            throw new InvalidOperationException($"Too few members untouched so far ({untouched.Count:N0}) for a history phase: it needs some for the history and more than {WarmUpCalls} fresh ones.");
        }

        var history = untouched.GetRange(0, historyCount);
        var fresh = untouched.GetRange(historyCount, freshCount);
        if (historyCount < options.HistoryMembers)
        {
            run.Progress.Line(string.Create(CultureInfo.InvariantCulture, $"Only {untouched.Count:N0} members untouched so far: {historyCount:N0} get a history (not {options.HistoryMembers:N0}), {freshCount:N0} stay fresh."));
        }

        var measured = Math.Min(calls, fresh.Count - WarmUpCalls);
        var spread = Spread(run.Traffic.Program.Offline.MaxAgeHours);

        // 1. The history, with the silo's memory before and after.
        var before = await SiloStatsReader.ReadAsync(traffic.Client, fullGc: true, cancellationToken);
        var build = new PhaseMeter($"{history.Count:N0} members × {purchases} purchases (Accrue sent late over the last {spread.TotalHours:0} h), {Math.Min(options.HistoryConcurrency, history.Count)} callers", BuildOp);
        build.Start();
        await run.Progress.RunAsync(build, () => ClosedLoop.EachAsync(options.HistoryConcurrency, history, async (member, _, ct) =>
        {
            var random = new Random(unchecked((options.Seed * 31) + member));
            for (var j = 0; j < purchases && !ct.IsCancellationRequested; j++)
            {
                var at = OccurredAt(run.Time.GetUtcNow(), spread, j, purchases);
                await traffic.AccrueAsync(build[BuildOp], member, traffic.StoreFor(member, random), Traffic.TillFor(random), traffic.Baskets.Next(random), Stopwatch.GetTimestamp(), ct, occurredAt: at);
            }
        }, cancellationToken));
        build.Stop();
        run.Progress.Summarise(build);
        var built = build.Summary(BuildOp);
        var after = await SiloStatsReader.ReadAsync(traffic.Client, fullGc: true, cancellationToken);
        var perMember = Ratios.BytesPerMemberWithHistory(run.Results.Get("bytes_per_member"), before.ManagedBytes, after.ManagedBytes, history.Count);
        var added = (after.ManagedBytes - before.ManagedBytes) / (double)history.Count;
        run.Results.Set("history_members", history.Count);
        run.Results.Set("history_build_errors", built.Errors);
        run.Results.Set("history50_added_bytes_per_member", added);
        if (perMember is { } bytes)
        {
            run.Results.Set("memory_bytes_per_member_history50", bytes);
        }

        // 2. The fresh members resident (as the history members are), then one caller alternating.
        var activate = new PhaseMeter($"GetMember on {fresh.Count:N0} fresh members, 16 callers", ActivateOp);
        await ClosedLoop.EachAsync(16, fresh, (member, start, ct) => traffic.GetMemberAsync(activate[ActivateOp], member, start, ct), cancellationToken);

        var meter = new PhaseMeter($"Accrue, 1 caller, {measured:N0} calls each on members with {purchases} purchases and on fresh members, alternating", HistoryOp, FreshOp);
        var measureRandom = new Random(options.Seed + 50);
        Task Pair(int i, CancellationToken ct) => AlternateAsync(traffic, meter, history[i % history.Count], fresh[i], i, measureRandom, ct);
        await ClosedLoop.EachAsync(1, [.. Enumerable.Range(0, WarmUpCalls)], (i, _, ct) => Pair(i, ct), cancellationToken);
        meter.Start();
        await run.Progress.RunAsync(meter, () => ClosedLoop.EachAsync(1, [.. Enumerable.Range(WarmUpCalls, measured)], (i, _, ct) => Pair(i, ct), cancellationToken));
        meter.Stop();
        run.Progress.Summarise(meter);
        var old = meter.Summary(HistoryOp);
        var young = meter.Summary(FreshOp);
        run.Results.Set("accrue_p50_ms_history50", old.P50Ms);
        run.Results.Set("accrue_p50_ms_fresh_c1", young.P50Ms);
        Ratios.Set(run.Results, "history50_vs_fresh_ratio", "accrue_p50_ms_history50", "accrue_p50_ms_fresh_c1");

        var text = new System.Text.StringBuilder();
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{history.Count:N0} members not touched so far (the least popular ones) each made {purchases} purchases through Accrue — generated baskets of 1–6 lines in everyday and program categories, distinct request ids, each logged and verified like every other mutation — sent late with `occurred_at` spread evenly over the last {spread.TotalHours:0} hours (the program accepts {run.Traffic.Program.Offline.MaxAgeHours} h), so they are days of ordinary shopping rather than one day over the daily cap; {Math.Min(options.HistoryConcurrency, history.Count)} callers, each member's purchases in order by one caller: **{built.PerSecond:N0} accruals/s**, {built.Errors:N0} errors.\n"));
        text.AppendLine(Markdown.Latencies([built]));
        text.AppendLine(Markdown.Table(
            ["silo figure", "before the history", "after it"],
            [
                ["managed heap (full GC)", Markdown.Mb(before.ManagedBytes), Markdown.Mb(after.ManagedBytes)],
                ["member activations (Orleans)", Markdown.N(before.MemberActivations), Markdown.N(after.MemberActivations)],
            ]));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"History added (heap after − heap before) / {history.Count:N0} = **{added:N0} bytes per member**; **memory_bytes_per_member_history50** = bytes_per_member + that = {(perMember is { } p ? p.ToString("N0", CultureInfo.InvariantCulture) + " bytes" : "not measured (bytes_per_member is missing)")}.\n"));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Then one caller, {measured:N0} pairs after {WarmUpCalls} warm-up pairs: an Accrue of a history member (round robin, so each ends with {purchases} to {purchases + ((WarmUpCalls + measured + history.Count - 1) / history.Count)} purchases) and an Accrue of a fresh member (enrolled, made resident by a GetMember, no purchase before; a new one each time), alternating which goes first, same basket generator, purchases made now:\n"));
        text.AppendLine(Markdown.Latencies([old, young]));
        if (run.Results.Get("history50_vs_fresh_ratio") is { } ratio)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"**history50_vs_fresh_ratio** = accrue_p50_ms_history50 / accrue_p50_ms_fresh_c1 = {old.P50Ms:0.000} / {young.P50Ms:0.000} = **{ratio:0.000}**."));
        }

        run.Results.Section("Members with a history of 50 purchases", text.ToString());
    }

    /// <summary>How far back a history's purchases are spread: the program's oldest accepted age less an hour, at most 60 hours; zero when it accepts less than two hours.</summary>
    public static TimeSpan Spread(int maxAgeHours) => maxAgeHours < 2 ? TimeSpan.Zero : TimeSpan.FromHours(Math.Min(60, maxAgeHours - 1));

    /// <summary>When purchase <paramref name="index"/> of <paramref name="count"/> happened: evenly spaced over <paramref name="spread"/> before <paramref name="now"/>, the last one spread / count ago; null (now) when there is no spread.</summary>
    public static DateTimeOffset? OccurredAt(DateTimeOffset now, TimeSpan spread, int index, int count) =>
        spread <= TimeSpan.Zero || count <= 0 ? null : now - (spread * ((count - index) / (double)count));

    /// <summary>
    /// How many of <paramref name="untouched"/> members get a history and how many stay fresh:
    /// as asked when there are enough; otherwise a quarter of them get a history (at most as many
    /// as asked) and the rest, up to what is needed, stay fresh.
    /// </summary>
    public static (int History, int Fresh) Split(int untouched, int historyWanted, int freshWanted)
    {
        if (untouched <= 0 || historyWanted <= 0 || freshWanted <= 0)
        {
            return (0, 0);
        }

        var history = untouched >= historyWanted + freshWanted ? historyWanted : Math.Min(historyWanted, untouched / 4);
        return (history, Math.Min(freshWanted, untouched - history));
    }

    /// <summary>Members no mutation of the run has touched, least popular first.</summary>
    private static List<int> Untouched(RunContext run)
    {
        var touched = new HashSet<int>(run.Traffic.Log.Records.Select(r => r.Member));
        var popularity = run.Traffic.Popularity;
        var members = new List<int>();
        for (var rank = popularity.Count - 1; rank >= 0; rank--)
        {
            var member = popularity.MemberOfRank(rank);
            if (!touched.Contains(member))
            {
                members.Add(member);
            }
        }

        return members;
    }

    private static async Task AlternateAsync(Traffic traffic, PhaseMeter meter, int historyMember, int freshMember, int i, Random random, CancellationToken cancellationToken)
    {
        (int Member, string Op)[] pair = i % 2 == 0 ? [(historyMember, HistoryOp), (freshMember, FreshOp)] : [(freshMember, FreshOp), (historyMember, HistoryOp)];
        foreach (var (member, op) in pair)
        {
            await traffic.AccrueAsync(meter[op], member, traffic.StoreFor(member, random), Traffic.TillFor(random), traffic.Baskets.Next(random), Stopwatch.GetTimestamp(), cancellationToken);
        }
    }
}
