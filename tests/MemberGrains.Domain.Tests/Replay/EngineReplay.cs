using System.Globalization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests.Replay;

/// <summary>Replays a <see cref="ReplayPlan"/> through <see cref="MemberAccount"/> in-process, one member at a time.</summary>
internal static class EngineReplay
{
    public const string StoreId = "uci-online-retail";
    public const string TerminalId = "web";
    public const string Category = "giftware";

    public static string MemberId(string customerId) => "uci-" + customerId;

    public static string PurchaseRequestId(string invoiceNo) => "inv-" + invoiceNo;

    public static string RefundRequestId(RefundMatch refund) => $"ret-{refund.CancellationInvoiceNo}-{refund.PurchaseInvoiceNo}";

    /// <summary>The instant of a UK wall-clock time in <paramref name="zone"/>; ambiguous times take the standard offset.</summary>
    public static DateTimeOffset Instant(DateTime localTime, TimeZoneInfo zone)
    {
        if (zone.IsInvalidTime(localTime))
        {
            throw new InvalidDataException($"{localTime:yyyy-MM-dd HH:mm} does not exist in {zone.Id} (skipped by a clock change).");
        }

        return new DateTimeOffset(localTime, zone.GetUtcOffset(localTime));
    }

    /// <summary>
    /// Enrols every customer with a purchase at their first purchase, applies their purchases and
    /// refunds in time order (a purchase before a refund of the same minute), and reads their view at
    /// <paramref name="asOf"/>. The ledger is drained after every operation and must keep adding up
    /// to the balance.
    /// </summary>
    public static ReplayResult Run(ReplayPlan plan, IProgramCatalog catalog, AccountLimits limits, DateTimeOffset asOf)
    {
        var zone = catalog.Current.TimeZone;
        var result = new ReplayResult();
        var refundsByCustomer = plan.Refunds.ToLookup(r => r.CustomerId, StringComparer.Ordinal);
        foreach (var customer in plan.Purchases.GroupBy(p => p.CustomerId, StringComparer.Ordinal))
        {
            var operations = customer
                .Select(p => (At: p.LocalTime, Order: 0, Key: p.InvoiceNo, Purchase: (PlannedPurchase?)p, Refund: (RefundMatch?)null))
                .Concat(refundsByCustomer[customer.Key].Select(r => (At: r.LocalTime, Order: 1, Key: r.CancellationInvoiceNo + "/" + r.PurchaseInvoiceNo, Purchase: (PlannedPurchase?)null, Refund: (RefundMatch?)r)))
                .OrderBy(o => o.At)
                .ThenBy(o => o.Order)
                .ThenBy(o => o.Key, StringComparer.Ordinal)
                .ToList();

            var memberId = MemberId(customer.Key);
            var enrolledAt = Instant(operations[0].At, zone);
            var (account, _) = MemberAccount.Enroll(new EnrollCommand(memberId, "enroll-" + customer.Key, Birthday: null, HomeStoreId: null, false, false), catalog, limits, enrolledAt);
            long ledgerSum = 0;
            Drain(account, result, ref ledgerSum, memberId, "enrolment");
            foreach (var operation in operations)
            {
                var now = Instant(operation.At, zone);
                string request;
                try
                {
                    if (operation.Purchase is { } purchase)
                    {
                        request = PurchaseRequestId(purchase.InvoiceNo);
                        var lines = purchase.Lines.Select(l => new PurchaseLine(Sku(l.StockCode), Category, l.Quantity, l.AmountFen)).ToList();
                        account.Accrue(new AccrueCommand(request, StoreId, TerminalId, purchase.TotalFen, lines), now);
                        result.Accruals++;
                    }
                    else
                    {
                        var refund = operation.Refund!;
                        request = RefundRequestId(refund);
                        account.Refund(new RefundCommand(request, StoreId, TerminalId, PurchaseRequestId(refund.PurchaseInvoiceNo), refund.AmountFen), now);
                        result.Refunds++;
                        result.RefundedFen += refund.AmountFen;
                    }
                }
                catch (DomainException e)
                {
                    result.Failures.Add(string.Create(CultureInfo.InvariantCulture, $"{memberId} {operation.Key} at {operation.At:yyyy-MM-dd HH:mm}: {e.Kind} on {e.Field}: {e.Message}"));
                    continue;
                }

                Drain(account, result, ref ledgerSum, memberId, request);
            }

            result.Views[customer.Key] = account.View(asOf);
        }

        return result;
    }

    /// <summary>The engine accepts printable ASCII without spaces in a SKU ("BANK CHARGES" → "BANK_CHARGES").</summary>
    public static string Sku(string stockCode) =>
        string.Create(stockCode.Length, stockCode, (chars, code) =>
        {
            for (var i = 0; i < code.Length; i++)
            {
                chars[i] = code[i] is > ' ' and <= '~' ? code[i] : '_';
            }
        });

    private static void Drain(MemberAccount account, ReplayResult result, ref long ledgerSum, string memberId, string request)
    {
        var rows = account.DrainLedger();
        result.LedgerRows += rows.Count;
        ledgerSum += rows.Sum(r => r.Points);
        foreach (var memberEvent in account.DrainEvents())
        {
            result.Events[memberEvent.Kind] = result.Events.GetValueOrDefault(memberEvent.Kind) + 1;
        }

        if (ledgerSum != account.State.Balance && result.LedgerMismatches.Count < 20)
        {
            result.LedgerMismatches.Add(string.Create(CultureInfo.InvariantCulture, $"{memberId} after {request}: ledger sums to {ledgerSum}, balance is {account.State.Balance}"));
        }
    }
}
