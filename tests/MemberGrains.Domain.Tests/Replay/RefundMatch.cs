namespace MemberGrains.Domain.Tests.Replay;

/// <summary>
/// The part of cancellation <paramref name="CancellationInvoiceNo"/> matched to purchase
/// <paramref name="PurchaseInvoiceNo"/>: replayed as one refund of <paramref name="AmountFen"/> at the
/// cancellation's <paramref name="LocalTime"/>.
/// </summary>
internal sealed record RefundMatch(string CustomerId, string CancellationInvoiceNo, string PurchaseInvoiceNo, DateTime LocalTime, long AmountFen);
