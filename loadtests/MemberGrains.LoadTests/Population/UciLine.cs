namespace MemberGrains.LoadTests.Population;

/// <summary>One invoice line of the UCI Online Retail file; an invoice starting with C is a cancellation (negative quantity).</summary>
internal sealed record UciLine(string Invoice, string StockCode, int Quantity, DateTime At, decimal UnitPrice, string Customer)
{
    public bool IsCancellation => Invoice.StartsWith('C');

    /// <summary>Quantity × unit price in minor units (pence, replayed as fen), never negative.</summary>
    public long AmountMinor => (long)decimal.Round(Math.Abs(Quantity) * UnitPrice * 100m, MidpointRounding.AwayFromZero);
}
