namespace MemberGrains.Domain.Tests;

public class EarningTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Fact]
    public void Enroll_NewMember_Gets100PointsAndOneEnrollmentRow()
    {
        var member = TestMember.Enroll(T0);

        Assert.Equal(100, member.EnrollReceipt.Points);
        Assert.Equal(100, member.EnrollReceipt.Balance);
        Assert.Equal(100, member.EnrollReceipt.Available);
        var row = Assert.Single(member.Ledger);
        Assert.Equal(new LedgerEntry(1, "enroll-1", LedgerKind.Enrollment, 100, 100, TestPrograms.Version, Cmd.Store, string.Empty, T0), row);
        Assert.Equal(Tier.Regular, member.State.Tier);
        Assert.Equal(100, member.Account.View(T0).Balance);
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(199, 1)]
    [InlineData(25_050, 250)]
    [InlineData(99_999, 999)]
    [InlineData(123_456_789, 1_234_567)]
    public void Accrue_Purchase_EarnsOnePointPerWholeYuan(long totalFen, long expectedPoints)
    {
        var member = TestMember.Enroll(T0);

        var outcome = member.Accrue("p-1", totalFen, T0.AddMinutes(1));

        Assert.False(outcome.Replayed);
        Assert.Equal(expectedPoints, outcome.Receipt.Points);
        Assert.Equal(100 + expectedPoints, outcome.Receipt.Balance);
        Assert.Equal(100 + expectedPoints, outcome.Receipt.Available);
        Assert.Equal(100 + expectedPoints, member.Account.BalanceAt(T0.AddMinutes(1)));
        var row = Assert.Single(member.Drain());
        Assert.Equal(
            new LedgerEntry(2, "p-1", LedgerKind.Earn, expectedPoints, 100 + expectedPoints, TestPrograms.Version, Cmd.Store, Cmd.Terminal, T0.AddMinutes(1)),
            row);
    }

    [Fact]
    public void Accrue_UnderOneYuan_EarnsNothingButCountsThePurchase()
    {
        var member = TestMember.Enroll(T0);

        var outcome = member.Accrue("p-1", 99, T0.AddMinutes(1));

        Assert.Equal(0, outcome.Receipt.Points);
        Assert.Equal(100, outcome.Receipt.Balance);
        Assert.Empty(member.Drain());
        Assert.Equal(1, member.State.PurchaseCount);
        Assert.Equal(99, member.State.LifetimeSpendFen);
        Assert.Single(member.Account.View(T0.AddMinutes(1)).Lots);
    }

    [Fact]
    public void Accrue_SeveralPurchases_OneLotEachAndGapFreeLedger()
    {
        var member = TestMember.Enroll(T0);

        member.Accrue("p-1", 1_000, T0.AddHours(1));
        member.Accrue("p-2", 2_550, T0.AddHours(2));
        member.Accrue("p-3", 30_099, T0.AddDays(3));
        member.Drain();

        Assert.Equal([1L, 2, 3, 4], member.Ledger.Select(r => r.Seq));
        Assert.Equal([100L, 10, 25, 300], member.Ledger.Select(r => r.Points));
        Assert.Equal([100L, 110, 135, 435], member.Ledger.Select(r => r.BalanceAfter));
        Assert.Equal(435, member.State.Balance);
        var view = member.Account.View(T0.AddDays(3));
        Assert.Equal([100L, 10, 25, 300], view.Lots.Select(l => l.Remaining));
        Assert.Equal([T0, T0.AddHours(1), T0.AddHours(2), T0.AddDays(3)], view.Lots.Select(l => l.EarnedAt));
    }

    [Fact]
    public void Accrue_SeveralPurchases_UpdatesSpendCounters()
    {
        var member = TestMember.Enroll(T0);

        member.Accrue("p-1", 1_000, T0.AddHours(1));
        member.Accrue("p-2", 2_550, T0.AddHours(2));
        member.Accrue("p-3", 99, T0.AddDays(3));

        var view = member.Account.View(T0.AddDays(3));
        Assert.Equal(3_649, view.LifetimeSpendFen);
        Assert.Equal(3_649, view.Tier.QualifyingSpendFen);
        Assert.Equal(3, view.PurchaseCount);
        Assert.Equal(T0.AddHours(1), view.FirstPurchaseAt);
        Assert.Equal(T0.AddDays(3), view.LastPurchaseAt);
    }

    [Fact]
    public void Enroll_NoPurchases_HasNoPurchaseDates()
    {
        var view = TestMember.Enroll(T0).Account.View(T0);

        Assert.Null(view.FirstPurchaseAt);
        Assert.Null(view.LastPurchaseAt);
        Assert.Equal(0, view.PurchaseCount);
    }

    [Theory]
    [InlineData(99_999, Tier.Regular)]
    [InlineData(100_000, Tier.Silver)]
    [InlineData(999_999, Tier.Silver)]
    [InlineData(1_000_000, Tier.Gold)]
    [InlineData(4_999_999, Tier.Gold)]
    [InlineData(5_000_000, Tier.Platinum)]
    public void Accrue_QualifyingSpend_ReachesTierAtThreshold(long totalFen, Tier expected)
    {
        var member = TestMember.Enroll(T0);

        member.Accrue("p-1", totalFen, T0.AddMinutes(1));

        Assert.Equal(expected, member.State.Tier);
        Assert.Equal(expected, member.Account.View(T0.AddMinutes(1)).Tier.Tier);
    }

    [Fact]
    public void Accrue_SpendAddsUpAcrossPurchases_UpgradesExactlyAt1000Yuan()
    {
        var member = TestMember.Enroll(T0);

        member.Accrue("p-1", 60_000, T0.AddMinutes(1));
        member.Accrue("p-2", 39_999, T0.AddMinutes(2));
        Assert.Equal(Tier.Regular, member.State.Tier);

        member.Accrue("p-3", 1, T0.AddMinutes(3));
        Assert.Equal(Tier.Silver, member.State.Tier);
        Assert.Equal(100_000, member.Account.View(T0.AddDays(5)).Tier.QualifyingSpendFen);
    }

    [Fact]
    public void Accrue_SeveralLines_TotalMatchingLines_Accepted()
    {
        var member = TestMember.Enroll(T0);
        var command = Cmd.Purchase("p-1", 12_345, new PurchaseLine("A", "food", 2, 10_000), new PurchaseLine("B", string.Empty, 1, 2_345), new PurchaseLine("C", "gift", 1, 0));

        var outcome = member.Account.Accrue(command, T0.AddMinutes(1));

        Assert.Equal(123, outcome.Receipt.Points);
    }
}
