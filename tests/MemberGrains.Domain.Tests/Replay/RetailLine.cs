namespace MemberGrains.Domain.Tests.Replay;

/// <summary>One line of the UCI Online Retail file, as written there (description and country left out).</summary>
/// <param name="InvoiceNo">Invoice number; a leading 'C' marks a cancellation.</param>
/// <param name="StockCode">Product code.</param>
/// <param name="Quantity">Units; negative on cancellations.</param>
/// <param name="InvoiceDate">UK wall-clock time of the invoice (no offset in the file).</param>
/// <param name="UnitPrice">Price of one unit in GBP.</param>
/// <param name="CustomerId">Customer number without the file's ".0" suffix; null when the line has none.</param>
internal sealed record RetailLine(string InvoiceNo, string StockCode, int Quantity, DateTime InvoiceDate, decimal UnitPrice, string? CustomerId)
{
    public bool IsCancellation => InvoiceNo.StartsWith('C');
}
