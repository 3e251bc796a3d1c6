// Replays the UCI Online Retail lines (../shared/data/online-retail/) through the engine in-process
// and checks every member's counters against a computation straight from the file.
//
// Mapping (ReplayMapper):
// - Lines without a CustomerID are ignored. One member per CustomerID ("uci-17850"), enrolled at
//   their first purchase; customers with cancellations only are not enrolled.
// - A purchase is an invoice not starting with 'C' whose kept lines add up to more than 0. A line is
//   kept when its quantity is positive and round(quantity × unit price × 100) (pence, half away from
//   zero) is positive; zero-priced lines (and 1 × £0.001) are skipped. An invoice whose lines span
//   two minutes counts at its first minute. UK wall-clock times become instants in Europe/London.
// - A cancellation line ('C' invoice) refunds the customer's latest purchase made no later than the
//   cancellation that still has value left of the same StockCode (exact, case-sensitive); the amount
//   is the cancelled value round(-quantity × price × 100), capped at the value of that code left in
//   that purchase. No spill-over to older purchases: the excess of a capped line is counted and
//   reported, like lines with no such purchase at all (discounts 'D', manual 'M', postage, fees …).
//   Lines of one cancellation matched to the same purchase form one refund, applied at the
//   cancellation's time, after any purchase of the same minute.
// - Program: the default, evaluated in Europe/London, GBP pence as "fen". Purchases stay refundable
//   400 days (the file spans 373).
//
// Expectation (IndependentCounters): from the parsed lines and the refund matches only, per customer:
// purchase count, first/last purchase time, lifetime net spend (purchase totals minus matched
// refunds), recency in UK calendar days to the day after the file's last invoice, and frequency and
// monetary over the 12 calendar months ending with that day's month (a refund counts against its
// purchase's month).
using System.Globalization;
using System.Text;

namespace MemberGrains.Domain.Tests.Replay;

public sealed class OnlineRetailReplayTests(OnlineRetailReplayFixture fixture, ITestOutputHelper output) : IClassFixture<OnlineRetailReplayFixture>
{
    private const int MismatchesShown = 10;

    [Fact]
    public void Replay_EveryMember_CountersMatchIndependentComputation()
    {
        var zone = fixture.Catalog.Current.TimeZone;
        var mismatches = new List<string>();
        foreach (var expected in fixture.Expected.Values.OrderBy(e => e.CustomerId, StringComparer.Ordinal))
        {
            if (!fixture.Result.Views.TryGetValue(expected.CustomerId, out var view))
            {
                mismatches.Add($"{expected.CustomerId}: no member replayed");
                continue;
            }

            var actual = new ExpectedMember(
                expected.CustomerId,
                view.PurchaseCount,
                Local(view.FirstPurchaseAt),
                Local(view.LastPurchaseAt),
                view.LifetimeSpendFen,
                view.Rfm.RecencyDays ?? -1,
                view.Rfm.Frequency,
                view.Rfm.MonetaryFen);
            if (actual != expected)
            {
                mismatches.Add($"{expected.CustomerId}:\n  expected {expected}\n  engine   {actual}");
            }
        }

        mismatches.AddRange(fixture.Result.Views.Keys.Where(id => !fixture.Expected.ContainsKey(id)).Select(id => $"{id}: replayed but not expected"));
        output.WriteLine($"{fixture.Expected.Count} members compared, {mismatches.Count} mismatching.");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {fixture.Expected.Count} members differ; first {MismatchesShown}:\n{string.Join('\n', mismatches.Take(MismatchesShown))}");

        DateTime Local(DateTimeOffset? at) => at is { } instant ? TimeZoneInfo.ConvertTime(instant, zone).DateTime : DateTime.MinValue;
    }

    [Fact]
    public void Replay_EveryCustomerWithPurchase_IsOneMemberWhoseLedgerAddsUpToBalance()
    {
        // A purchase needs a line worth at least half a penny (it rounds to one).
        var customersWithPurchase = fixture.Lines
            .Where(l => l.CustomerId is not null && !l.IsCancellation && l.Quantity > 0 && l.UnitPrice * l.Quantity >= 0.005m)
            .Select(l => l.CustomerId)
            .Distinct(StringComparer.Ordinal)
            .Count();

        Assert.True(fixture.Result.Failures.Count == 0, $"The engine refused {fixture.Result.Failures.Count} operations:\n{string.Join('\n', fixture.Result.Failures.Take(MismatchesShown))}");
        Assert.True(fixture.Result.LedgerMismatches.Count == 0, string.Join('\n', fixture.Result.LedgerMismatches));
        Assert.Equal(customersWithPurchase, fixture.Result.Views.Count);
        Assert.Equal(fixture.Plan.Purchases.Count, fixture.Result.Accruals);
        Assert.Equal(fixture.Plan.Refunds.Count, fixture.Result.Refunds);
    }

    [Fact]
    public void Replay_SegmentsAndLifecycle_CoverEveryMemberAndAreReported()
    {
        var program = fixture.Catalog.Current.Document;
        var segmentNames = program.Segments.Select(s => s.Name).Append(program.DefaultSegment).ToHashSet(StringComparer.Ordinal);
        var views = fixture.Result.Views.Values.ToList();
        var segments = views.GroupBy(v => v.Segment, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        var lifecycle = views.GroupBy(v => v.Lifecycle).OrderBy(g => g.Key).ToList();

        output.WriteLine(Report(segments.Select(g => (g.Key, g.Count())), lifecycle.Select(g => (g.Key.ToString(), g.Count()))));

        Assert.All(views, v => Assert.Contains(v.Segment, segmentNames));
        Assert.All(views, v => Assert.NotEqual(LifecycleStage.Prospect, v.Lifecycle));
        Assert.All(views, v => Assert.All([v.Rfm.RecencyScore, v.Rfm.FrequencyScore, v.Rfm.MonetaryScore], score => Assert.InRange(score, 1, 5)));
        Assert.Equal(views.Count, segments.Sum(g => g.Count()));
    }

    private string Report(IEnumerable<(string Name, int Count)> segments, IEnumerable<(string Name, int Count)> lifecycle)
    {
        var stats = fixture.Plan.Stats;
        var result = fixture.Result;
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));

        Line($"UCI Online Retail replay, as of {fixture.AsOf:yyyy-MM-dd HH:mm zzz} ({OnlineRetailReplayFixture.Zone})");
        Line($"time: parse {fixture.ParseTime.TotalSeconds:F1} s, map {fixture.MapTime.TotalSeconds:F1} s, replay {fixture.ReplayTime.TotalSeconds:F1} s, expectation {fixture.ExpectTime.TotalSeconds:F1} s");
        Line($"lines {stats.Lines}, without customer {stats.LinesWithoutCustomer}");
        Line($"purchases {fixture.Plan.Purchases.Count} ({stats.PurchaseLinesKept} lines kept, {stats.PurchaseLinesSkipped} skipped, {stats.InvoicesWithoutPositiveTotal} invoices without a positive total)");
        Line($"cancellations {stats.CancellationInvoices} invoices, {stats.CancellationLines} lines, {stats.CancelledFen / 100m:N2} GBP");
        Line($"  lines matched in full {stats.CancellationLinesMatched}, capped {stats.CancellationLinesCapped} ({stats.CappedExcessFen / 100m:N2} GBP not refunded), unmatched {stats.CancellationLinesUnmatched} ({stats.UnmatchedFen / 100m:N2} GBP)");
        Line($"  unmatched by stock code (top 8): {string.Join(", ", stats.UnmatchedByStockCode.OrderByDescending(p => p.Value).Take(8).Select(p => $"{p.Key} {p.Value}"))}");
        Line($"refunds {result.Refunds} ({result.RefundedFen / 100m:N2} GBP), accruals {result.Accruals}, ledger rows {result.LedgerRows}");
        Line($"members {result.Views.Count}");
        Line($"segments: {string.Join(", ", segments.Select(s => $"{s.Name} {s.Count}"))}");
        Line($"lifecycle: {string.Join(", ", lifecycle.Select(s => $"{s.Name} {s.Count}"))}");
        Line($"events: {string.Join(", ", result.Events.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"))}");
        return text.ToString();
    }
}
