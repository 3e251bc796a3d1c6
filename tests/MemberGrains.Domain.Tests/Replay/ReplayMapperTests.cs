namespace MemberGrains.Domain.Tests.Replay;

public class ReplayMapperTests
{
    private static readonly DateTime Day = new(2011, 3, 1, 10, 0, 0, DateTimeKind.Unspecified);

    private static RetailLine Line(string invoice, string code, int quantity, decimal price, int minutes, string? customer = "100") =>
        new(invoice, code, quantity, Day.AddMinutes(minutes), price, customer);

    [Fact]
    public void Map_Invoices_BecomePurchasesOfTheirCustomerAtTheFirstMinute()
    {
        var plan = ReplayMapper.Map(
        [
            Line("1", "A", 3, 1.25m, 0),
            Line("1", "B", 1, 0.855m, 1),
            Line("2", "A", 1, 9.99m, 5, customer: null),
        ]);

        var purchase = Assert.Single(plan.Purchases);
        Assert.Equal(("100", "1", Day), (purchase.CustomerId, purchase.InvoiceNo, purchase.LocalTime));
        Assert.Equal([new PlannedLine("A", 3, 375), new PlannedLine("B", 1, 86)], purchase.Lines);
        Assert.Equal(461, purchase.TotalFen);
        Assert.Equal(1, plan.Stats.LinesWithoutCustomer);
    }

    [Fact]
    public void Map_ZeroPricedLines_AreSkippedAndAnInvoiceOfOnlySuchLinesIsNoPurchase()
    {
        var plan = ReplayMapper.Map(
        [
            Line("1", "A", 2, 1m, 0),
            Line("1", "FREE", 5, 0m, 0),
            Line("2", "TINY", 1, 0.001m, 1),
        ]);

        var purchase = Assert.Single(plan.Purchases);
        Assert.Equal([new PlannedLine("A", 2, 200)], purchase.Lines);
        Assert.Equal(2, plan.Stats.PurchaseLinesSkipped);
        Assert.Equal(1, plan.Stats.InvoicesWithoutPositiveTotal);
    }

    [Fact]
    public void Map_Cancellation_RefundsTheLatestEarlierPurchaseWithThatStockCode()
    {
        var plan = ReplayMapper.Map(
        [
            Line("1", "A", 2, 1m, 0),
            Line("2", "A", 2, 1m, 10),
            Line("3", "B", 1, 5m, 20),
            Line("C4", "A", -1, 1m, 30),
            Line("C4", "A", -1, 1m, 30),
        ]);

        var refund = Assert.Single(plan.Refunds);
        Assert.Equal(new RefundMatch("100", "C4", "2", Day.AddMinutes(30), 200), refund);
        Assert.Equal(2, plan.Stats.CancellationLinesMatched);
    }

    [Fact]
    public void Map_CancellationWorthMoreThanWhatIsLeft_RefundsWhatIsLeftAndCountsTheExcess()
    {
        var plan = ReplayMapper.Map(
        [
            Line("1", "A", 2, 1m, 0),
            Line("1", "B", 1, 7m, 0),
            Line("C2", "A", -1, 1.5m, 10),
            Line("C3", "A", -3, 1m, 20),
        ]);

        Assert.Equal(
            [
                new RefundMatch("100", "C2", "1", Day.AddMinutes(10), 150),
                new RefundMatch("100", "C3", "1", Day.AddMinutes(20), 50),
            ],
            plan.Refunds);
        Assert.Equal((1, 1, 250L), (plan.Stats.CancellationLinesMatched, plan.Stats.CancellationLinesCapped, plan.Stats.CappedExcessFen));
    }

    [Fact]
    public void Map_CancellationWithoutMatchingEarlierPurchase_IsCountedUnmatched()
    {
        var plan = ReplayMapper.Map(
        [
            Line("C1", "A", -1, 1m, 0),
            Line("2", "A", 1, 1m, 10),
            Line("C3", "D", -1, 4m, 20),
            Line("C4", "A", -1, 1m, 30, customer: "200"),
        ]);

        Assert.Empty(plan.Refunds);
        Assert.Equal((3, 600L), (plan.Stats.CancellationLinesUnmatched, plan.Stats.UnmatchedFen));
        Assert.Equal(2, plan.Stats.UnmatchedByStockCode["A"]);
    }

    [Fact]
    public void Map_CancellationInTheSameMinuteAsThePurchase_RefundsIt()
    {
        var plan = ReplayMapper.Map([Line("C2", "A", -1, 1m, 0), Line("1", "A", 1, 1m, 0)]);

        Assert.Equal(new RefundMatch("100", "C2", "1", Day, 100), Assert.Single(plan.Refunds));
    }
}
