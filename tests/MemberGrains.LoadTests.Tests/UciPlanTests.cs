using MemberGrains.LoadTests.Population;

namespace MemberGrains.LoadTests.Tests;

public sealed class UciPlanTests
{
    private const string Csv = """
        InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
        536365,85123A,"WHITE HANGING HEART, T-LIGHT HOLDER",6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom
        536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850.0,United Kingdom
        536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,13047.0,United Kingdom
        536367,22633,HAND WARMER UNION JACK,2,2010-12-01 08:34:00,1.85,,United Kingdom
        536368,22960,JAM MAKING SET WITH JARS,6,2010-12-01 09:34:00,4.25,13047.0,United Kingdom
        C536379,85123A,"WHITE HANGING HEART, T-LIGHT HOLDER",-12,2010-12-01 09:41:00,2.55,17850.0,United Kingdom
        536380,71053,WHITE METAL LANTERN,4,2010-12-01 10:00:00,3.39,17850.0,United Kingdom
        C536381,71053,WHITE METAL LANTERN,-2,2010-12-01 10:05:00,3.39,17850.0,United Kingdom
        """;

    [Fact]
    public void Split_QuotedCommasAndQuotes_OneFieldEach()
    {
        var fields = new List<string>();

        UciFile.Split("1,\"a, \"\"b\"\"\",,x", fields);

        Assert.Equal(["1", "a, \"b\"", string.Empty, "x"], fields);
    }

    [Fact]
    public void Load_SmallFile_CustomersPurchasesAndMatchedCancellation()
    {
        var path = Write();

        var plan = UciPlan.Load(path, scale: 3, peakPerSecond: 10);

        Assert.Equal(2, plan.Customers); // the guest line has no customer
        Assert.Equal(6, plan.Members);
        Assert.Equal(4, plan.Purchases);
        // 12 hearts (30.60) cancelled against invoice 536365; 2 lanterns against the later 536380.
        Assert.Equal(2, plan.Cancellations);
        Assert.Equal(new DateTime(2010, 12, 1, 8, 0, 0, DateTimeKind.Utc), plan.BusiestHour);
        Assert.Equal(2, plan.BusiestHourEvents);
    }

    [Fact]
    public void Times_Window_SortedWithinTheProfileOnePerCopy()
    {
        var plan = UciPlan.Load(Write(), scale: 3, peakPerSecond: 10);

        var times = plan.Times(TimeSpan.FromSeconds(60));

        // 2 invoices × 3 copies in the busiest hour arrive at 10/s: one file hour is 0.6 s, so 60 s
        // cover 100 file hours and every event of the morning is in the window.
        Assert.Equal(18, times.Count);
        Assert.Equal(times.Order(), times);
        Assert.All(times, t => Assert.InRange(t, 0, 60));
    }

    private static string Write()
    {
        var path = Path.Combine(Path.GetTempPath(), $"uci-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, Csv.ReplaceLineEndings("\n") + "\n");
        return path;
    }
}
