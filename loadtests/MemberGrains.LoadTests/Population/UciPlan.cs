using System.Collections.Concurrent;
using System.Globalization;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Population;

/// <summary>
/// The UCI Online Retail data as load: every customer becomes <c>scale</c> members (member index =
/// customer × scale + copy); every invoice is replayed once per copy, in time order — purchases as
/// QuoteCheckout → Accrue with the invoice's lines (pence as fen), cancellations as a Refund of the
/// latest earlier purchase of that customer holding the cancelled article (at most what is left of
/// it). Time is compressed so that the file's busiest hour arrives at the profile's peak checkout
/// rate, and the replayed window is centred on that hour.
/// </summary>
internal sealed class UciPlan
{
    private readonly List<UciEvent> _events;
    private readonly ConcurrentDictionary<long, string> _acknowledged = new();
    private (int Event, int Copy)[] _schedule = [];
    private double _compression;
    private DateTime _windowStart;
    private DateTime _windowEnd;
    private long _skippedRefunds;

    private UciPlan(string path, int customers, int scale, List<UciEvent> events, DateTime busiestHour, int busiestHourEvents, double peakPerSecond)
    {
        Path = path;
        Customers = customers;
        Scale = scale;
        _events = events;
        BusiestHour = busiestHour;
        BusiestHourEvents = busiestHourEvents;
        PeakPerSecond = peakPerSecond;
    }

    public string Path { get; }

    public int Customers { get; }

    public int Scale { get; }

    public int Members => Customers * Scale;

    public int Purchases => _events.Count(e => e.Refund is null);

    public int Cancellations => _events.Count(e => e.Refund is not null);

    public DateTime BusiestHour { get; }

    public int BusiestHourEvents { get; }

    public double PeakPerSecond { get; }

    /// <summary>Refunds not sent because their purchase was not replayed (before the window) or not yet acknowledged.</summary>
    public long SkippedRefunds => Interlocked.Read(ref _skippedRefunds);

    public static UciPlan Load(string path, int scale, double peakPerSecond)
    {
        var customers = new Dictionary<string, int>(StringComparer.Ordinal);
        var invoices = new List<(string Invoice, List<UciLine> Lines)>();
        var byInvoice = new Dictionary<string, List<UciLine>>(StringComparer.Ordinal);
        foreach (var line in UciFile.Read(path))
        {
            if (!byInvoice.TryGetValue(line.Invoice, out var lines))
            {
                byInvoice[line.Invoice] = lines = [];
                invoices.Add((line.Invoice, lines));
            }

            lines.Add(line);
            if (!customers.ContainsKey(line.Customer))
            {
                customers[line.Customer] = customers.Count;
            }
        }

        var events = new List<UciEvent>();
        // What is left to refund of each purchase, by its event index.
        var remaining = new Dictionary<int, long>();
        // Per (customer, stock code): the purchase events holding it, latest last.
        var holding = new Dictionary<(int, string), List<int>>();
        foreach (var (_, lines) in invoices.OrderBy(i => i.Lines.Min(l => l.At)))
        {
            var customer = customers[lines[0].Customer];
            var at = lines.Min(l => l.At);
            if (!lines[0].IsCancellation)
            {
                var purchase = lines.Where(l => l.Quantity > 0 && l.AmountMinor > 0)
                    .Select(l => new PurchaseLine { Sku = Sku(l.StockCode), Category = "uci", Quantity = l.Quantity, AmountFen = l.AmountMinor })
                    .ToList();
                if (purchase.Count == 0)
                {
                    continue;
                }

                var index = events.Count;
                events.Add(new UciEvent(at, customer, new Basket(purchase, purchase.Sum(p => p.AmountFen)), null, 0));
                remaining[index] = events[index].Basket!.TotalFen;
                foreach (var code in lines.Select(l => l.StockCode).Distinct(StringComparer.Ordinal))
                {
                    if (!holding.TryGetValue((customer, code), out var list))
                    {
                        holding[(customer, code)] = list = [];
                    }

                    list.Add(index);
                }

                continue;
            }

            var cancelled = lines.Sum(l => l.AmountMinor);
            var match = lines.Select(l => holding.GetValueOrDefault((customer, l.StockCode))?.LastOrDefault(i => remaining[i] > 0) ?? -1).FirstOrDefault(i => i >= 0, -1);
            if (match < 0 || cancelled <= 0)
            {
                continue;
            }

            var amount = Math.Min(cancelled, remaining[match]);
            remaining[match] -= amount;
            events.Add(new UciEvent(at, customer, null, match, amount));
        }

        var busiest = events.GroupBy(e => new DateTime(e.At.Year, e.At.Month, e.At.Day, e.At.Hour, 0, 0, DateTimeKind.Utc)).MaxBy(g => g.Count())!;
        return new UciPlan(path, customers.Count, scale, events, busiest.Key, busiest.Count(), peakPerSecond);
    }

    /// <summary>The arrival times (seconds from the profile start) of the replayed window; fixes the schedule <see cref="ReplayAsync"/> follows.</summary>
    public IReadOnlyList<double> Times(TimeSpan duration)
    {
        // File seconds per real second: the busiest hour's events × scale arrive at the peak rate.
        _compression = 3600.0 * PeakPerSecond / Math.Max(1, BusiestHourEvents * Scale);
        var fileSpan = TimeSpan.FromSeconds(duration.TotalSeconds * _compression);
        _windowStart = BusiestHour + TimeSpan.FromMinutes(30) - (fileSpan / 2);
        _windowEnd = _windowStart + fileSpan;
        var random = new Random(17);
        var schedule = new List<(double At, int Event, int Copy)>();
        for (var e = 0; e < _events.Count; e++)
        {
            var ev = _events[e];
            if (ev.At < _windowStart.AddMinutes(-1) || ev.At >= _windowEnd)
            {
                continue;
            }

            for (var copy = 0; copy < Scale; copy++)
            {
                // Invoice times have minute resolution: spread each copy over its minute.
                var fileSeconds = (ev.At - _windowStart).TotalSeconds + (random.NextDouble() * 60);
                var at = fileSeconds / _compression;
                if (at >= 0 && at < duration.TotalSeconds)
                {
                    schedule.Add((at, e, copy));
                }
            }
        }

        schedule.Sort((a, b) => a.At.CompareTo(b.At));
        _schedule = [.. schedule.Select(s => (s.Event, s.Copy))];
        return [.. schedule.Select(s => s.At)];
    }

    /// <summary>Replays the <paramref name="sequence"/>th scheduled invoice copy; a purchase may have a screen watching its member (<paramref name="screens"/>).</summary>
    public async Task ReplayAsync(Traffic traffic, PhaseMeter meter, ScreenWatchers screens, int sequence, long intendedStart, CancellationToken cancellationToken)
    {
        var (index, copy) = _schedule[sequence];
        var ev = _events[index];
        var member = (ev.Customer * Scale) + copy;
        var random = Random.Shared;
        if (ev.Basket is { } basket)
        {
            var store = traffic.StoreFor(member, random);
            await screens.CheckoutAsync(member, store, intendedStart, start => PurchaseAsync(traffic, meter, member, store, basket, index, copy, start, cancellationToken), cancellationToken);
            return;
        }

        if (!_acknowledged.TryGetValue(Key(ev.Refund!.Value, copy), out var original))
        {
            Interlocked.Increment(ref _skippedRefunds);
            return;
        }

        await traffic.RefundAsync(meter[Ops.Refund], member, original, ev.RefundFen, traffic.StoreFor(member, random), Traffic.TillFor(random), intendedStart, cancellationToken);
    }

    public string Describe(TimeSpan duration) => string.Create(
        CultureInfo.InvariantCulture,
        $"{System.IO.Path.GetFileName(Path)}: {Customers:N0} customers × {Scale} = {Members:N0} members; {Purchases:N0} purchases and {Cancellations:N0} matched cancellations in the file; busiest hour {BusiestHour:yyyy-MM-dd HH}:00 with {BusiestHourEvents:N0} invoices; "
        + $"compressed {_compression:N0}× so that hour arrives at {PeakPerSecond:N0} checkouts/s; replayed window {_windowStart:yyyy-MM-dd HH:mm} – {_windowEnd:yyyy-MM-dd HH:mm} ({_schedule.Length:N0} sessions); refunds skipped because their purchase was outside the window or not yet acknowledged: {SkippedRefunds:N0}");

    private async Task PurchaseAsync(Traffic traffic, PhaseMeter meter, int member, string store, Basket basket, int index, int copy, long start, CancellationToken cancellationToken)
    {
        var quote = await traffic.QuoteAsync(meter[Ops.Quote], member, store, basket, start, cancellationToken);
        if (!quote.Ok)
        {
            return;
        }

        var requestId = traffic.NextRequestId(MutationKind.Accrue);
        var accrue = await traffic.AccrueAsync(meter[Ops.Accrue], member, store, Traffic.TillFor(Random.Shared), basket, quote.CompletedAt, cancellationToken, requestId);
        if (accrue.Ok)
        {
            _acknowledged[Key(index, copy)] = requestId;
        }
    }

    private static long Key(int eventIndex, int copy) => ((long)eventIndex << 16) | (uint)copy;

    private static string Sku(string stockCode) => stockCode.Length == 0 ? "UCI" : stockCode.Replace(' ', '_');

    private sealed record UciEvent(DateTime At, int Customer, Basket? Basket, int? Refund, long RefundFen);
}
