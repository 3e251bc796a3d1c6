namespace MemberGrains.Domain.Tests.Replay;

/// <summary>What the mapper made of the file's lines, for the report.</summary>
internal sealed class MappingStats
{
    public int Lines { get; set; }

    public int LinesWithoutCustomer { get; set; }

    public int PurchaseLinesKept { get; set; }

    /// <summary>Lines of purchase invoices left out: quantity ≤ 0 or an amount that rounds to 0 pence or less.</summary>
    public int PurchaseLinesSkipped { get; set; }

    /// <summary>Invoices (not cancellations) with a customer whose kept lines add up to nothing.</summary>
    public int InvoicesWithoutPositiveTotal { get; set; }

    public int CancellationInvoices { get; set; }

    public int CancellationLines { get; set; }

    public long CancelledFen { get; set; }

    /// <summary>Cancellation lines refunded in full from a matching purchase.</summary>
    public int CancellationLinesMatched { get; set; }

    /// <summary>Cancellation lines worth more than was left of the code in the matching purchase: only that was refunded.</summary>
    public int CancellationLinesCapped { get; set; }

    /// <summary>What capped lines could not refund.</summary>
    public long CappedExcessFen { get; set; }

    /// <summary>Cancellation lines without any earlier purchase of the customer with that stock code left to refund.</summary>
    public int CancellationLinesUnmatched { get; set; }

    public long UnmatchedFen { get; set; }

    /// <summary>Unmatched lines by stock code, to show what kind of cancellations they are.</summary>
    public Dictionary<string, int> UnmatchedByStockCode { get; } = new(StringComparer.Ordinal);
}
