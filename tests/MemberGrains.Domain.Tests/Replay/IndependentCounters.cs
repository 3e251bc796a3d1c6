namespace MemberGrains.Domain.Tests.Replay;

/// <summary>
/// Each customer's expected counters, from the parsed lines and the refund matches only: no engine
/// type, no mapper purchase. Times stay the file's UK wall clock, so no zone conversion is involved.
/// </summary>
internal static class IndependentCounters
{
    /// <param name="lines">Every line of the file.</param>
    /// <param name="refunds">The refund matches decided by the mapper.</param>
    /// <param name="asOf">The UK calendar day the counters are read on.</param>
    /// <param name="windowMonths">Calendar months (the current one included) frequency and monetary look back.</param>
    public static Dictionary<string, ExpectedMember> Compute(IEnumerable<RetailLine> lines, IEnumerable<RefundMatch> refunds, DateOnly asOf, int windowMonths)
    {
        var refundedByInvoice = refunds
            .GroupBy(r => r.PurchaseInvoiceNo, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(r => r.AmountFen), StringComparer.Ordinal);

        var asOfMonth = (asOf.Year * 12) + asOf.Month;
        return lines
            .Where(l => l.CustomerId is not null && !l.InvoiceNo.StartsWith('C'))
            .GroupBy(l => l.InvoiceNo, StringComparer.Ordinal)
            .Select(invoice => new
            {
                Customer = invoice.First().CustomerId!,
                Invoice = invoice.Key,
                At = invoice.Min(l => l.InvoiceDate),
                GrossPence = invoice
                    .Where(l => l.Quantity > 0)
                    .Select(l => (long)Math.Round(l.Quantity * l.UnitPrice * 100m, MidpointRounding.AwayFromZero))
                    .Where(pence => pence > 0)
                    .Sum(),
            })
            .Where(p => p.GrossPence > 0)
            .Select(p => new
            {
                p.Customer,
                p.At,
                NetPence = p.GrossPence - refundedByInvoice.GetValueOrDefault(p.Invoice),
                InWindow = asOfMonth - ((p.At.Year * 12) + p.At.Month) is var back && back >= 0 && back < windowMonths,
            })
            .GroupBy(p => p.Customer, StringComparer.Ordinal)
            .ToDictionary(
                c => c.Key,
                c => new ExpectedMember(
                    c.Key,
                    c.Count(),
                    c.Min(p => p.At),
                    c.Max(p => p.At),
                    c.Sum(p => p.NetPence),
                    asOf.DayNumber - DateOnly.FromDateTime(c.Max(p => p.At)).DayNumber,
                    c.Count(p => p.InWindow),
                    c.Where(p => p.InWindow).Sum(p => p.NetPence)),
                StringComparer.Ordinal);
    }
}
