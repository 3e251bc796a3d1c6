namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// What the caller driving a member knows for certain about it, from acknowledged receipts only:
/// balance and available points after the last acknowledged change, purchases that can be
/// refunded, spend and refunded spend (refunds stay well under the program's refund-abuse limit,
/// so a redemption is never declined), the store-local day of the last check-in. Exactly one
/// caller drives a member, one request at a time, so nothing here needs a lock.
/// </summary>
internal sealed class DrillMember(int index, string id, string store)
{
    /// <summary>Most refunded share of the spend the callers allow themselves, in percent (the default program declines redemptions above 50).</summary>
    public const int MaxRefundedPercent = 30;

    public int Index { get; } = index;

    public string Id { get; } = id;

    /// <summary>The member's home store: its checkouts happen there.</summary>
    public string Store { get; } = store;

    /// <summary>Balance after the last acknowledged change.</summary>
    public long Balance { get; set; }

    /// <summary>Points redeemable after the last acknowledged change.</summary>
    public long Available { get; set; }

    /// <summary>An answer is unknown (a request given up on, a wrong answer): read the member again before the next request.</summary>
    public bool Uncertain { get; set; } = true;

    public List<DrillPurchase> Purchases { get; } = [];

    public long SpentFen { get; set; }

    public long RefundedFen { get; set; }

    /// <summary>Store-local day number of the last check-in sent (acknowledged or not).</summary>
    public int CheckInDay { get; set; } = -1;

    /// <summary>A purchase that may be refunded in part (half of it) without nearing the refund-abuse limit, or null.</summary>
    public (DrillPurchase Purchase, long AmountFen)? Refundable(Random random)
    {
        if (Purchases.Count == 0)
        {
            return null;
        }

        var start = random.Next(Purchases.Count);
        for (var i = 0; i < Math.Min(8, Purchases.Count); i++)
        {
            var purchase = Purchases[(start + i) % Purchases.Count];
            var amount = purchase.TotalFen / 2;
            if (!purchase.RefundSent && amount > 0 && (RefundedFen + amount) * 100 <= SpentFen * MaxRefundedPercent)
            {
                return (purchase, amount);
            }
        }

        return null;
    }
}
