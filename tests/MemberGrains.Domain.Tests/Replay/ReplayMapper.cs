namespace MemberGrains.Domain.Tests.Replay;

/// <summary>
/// Turns retail lines into purchases and refunds (rules in <see cref="OnlineRetailReplayTests"/>'s header).
/// The refund matches it decides are input to both the engine replay and the independent expectation.
/// </summary>
internal static class ReplayMapper
{
    /// <summary>round(quantity × unit price × 100): pence, the "fen" of a GBP program.</summary>
    public static long AmountFen(int quantity, decimal unitPrice) =>
        (long)decimal.Round(quantity * unitPrice * 100m, MidpointRounding.AwayFromZero);

    public static ReplayPlan Map(IReadOnlyList<RetailLine> lines)
    {
        var stats = new MappingStats { Lines = lines.Count };
        var invoices = new List<(string Invoice, List<RetailLine> Lines)>();
        var byInvoice = new Dictionary<string, List<RetailLine>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (line.CustomerId is null)
            {
                stats.LinesWithoutCustomer++;
                continue;
            }

            if (!byInvoice.TryGetValue(line.InvoiceNo, out var group))
            {
                group = [];
                byInvoice[line.InvoiceNo] = group;
                invoices.Add((line.InvoiceNo, group));
            }

            group.Add(line);
        }

        var purchases = new List<PlannedPurchase>();
        var cancellations = new List<(string Invoice, DateTime At, List<RetailLine> Lines)>();
        foreach (var (invoice, group) in invoices)
        {
            if (group.Select(l => l.CustomerId).Distinct(StringComparer.Ordinal).Count() != 1)
            {
                throw new InvalidDataException($"Invoice {invoice} names more than one customer.");
            }

            // An invoice whose lines straddle a minute counts at its first minute.
            var at = group.Min(l => l.InvoiceDate);
            if (group[0].IsCancellation)
            {
                cancellations.Add((invoice, at, group));
                continue;
            }

            var kept = new List<PlannedLine>(group.Count);
            foreach (var line in group)
            {
                var amount = line.Quantity > 0 ? AmountFen(line.Quantity, line.UnitPrice) : 0;
                if (amount > 0)
                {
                    kept.Add(new PlannedLine(line.StockCode, line.Quantity, amount));
                }
            }

            stats.PurchaseLinesKept += kept.Count;
            stats.PurchaseLinesSkipped += group.Count - kept.Count;
            if (kept.Count == 0)
            {
                stats.InvoicesWithoutPositiveTotal++;
                continue;
            }

            purchases.Add(new PlannedPurchase(group[0].CustomerId!, invoice, at, kept));
        }

        var refunds = MatchCancellations(purchases, cancellations, stats);
        return new ReplayPlan(purchases, refunds, stats);
    }

    /// <summary>
    /// Each cancellation line refunds the customer's latest purchase made no later than the
    /// cancellation that still has value left of the same stock code, by the cancelled value capped
    /// at that value left. Lines of one cancellation hitting the same purchase make one refund.
    /// </summary>
    private static List<RefundMatch> MatchCancellations(
        List<PlannedPurchase> purchases,
        List<(string Invoice, DateTime At, List<RetailLine> Lines)> cancellations,
        MappingStats stats)
    {
        // Per customer, purchases latest first; per purchase, value left by stock code.
        var history = purchases
            .GroupBy(p => p.CustomerId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(p => p.LocalTime).ThenByDescending(p => p.InvoiceNo, StringComparer.Ordinal)
                    .Select(p => (Purchase: p, Left: p.Lines.GroupBy(l => l.StockCode, StringComparer.Ordinal).ToDictionary(c => c.Key, c => c.Sum(l => l.AmountFen), StringComparer.Ordinal)))
                    .ToList(),
                StringComparer.Ordinal);

        var refunds = new List<RefundMatch>();
        foreach (var (invoice, at, lines) in cancellations.OrderBy(c => c.At).ThenBy(c => c.Invoice, StringComparer.Ordinal))
        {
            stats.CancellationInvoices++;
            var customer = lines[0].CustomerId!;
            var matched = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var line in lines)
            {
                stats.CancellationLines++;
                var wanted = AmountFen(-line.Quantity, line.UnitPrice);
                stats.CancelledFen += Math.Max(0, wanted);
                var candidate = wanted <= 0 || !history.TryGetValue(customer, out var bought)
                    ? default
                    : bought.FirstOrDefault(p => p.Purchase.LocalTime <= at && p.Left.GetValueOrDefault(line.StockCode) > 0);
                if (candidate.Purchase is null)
                {
                    stats.CancellationLinesUnmatched++;
                    stats.UnmatchedFen += Math.Max(0, wanted);
                    stats.UnmatchedByStockCode[line.StockCode] = stats.UnmatchedByStockCode.GetValueOrDefault(line.StockCode) + 1;
                    continue;
                }

                var left = candidate.Left[line.StockCode];
                var amount = Math.Min(wanted, left);
                candidate.Left[line.StockCode] = left - amount;
                matched[candidate.Purchase.InvoiceNo] = matched.GetValueOrDefault(candidate.Purchase.InvoiceNo) + amount;
                if (amount == wanted)
                {
                    stats.CancellationLinesMatched++;
                }
                else
                {
                    stats.CancellationLinesCapped++;
                    stats.CappedExcessFen += wanted - amount;
                }
            }

            refunds.AddRange(matched
                .OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new RefundMatch(customer, invoice, m.Key, at, m.Value)));
        }

        return refunds;
    }
}
