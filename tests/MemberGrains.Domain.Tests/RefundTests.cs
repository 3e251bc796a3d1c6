namespace MemberGrains.Domain.Tests;

public class RefundTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>Enrolment (100) plus a 250.50 CNY purchase "p-1" (250 points): balance 350.</summary>
    private static TestMember MemberWithPurchaseOf25050Fen()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 25_050, T0);
        member.Drain();
        return member;
    }

    [Fact]
    public void Refund_Partial_TakesBackDifferenceOfFlooredPoints()
    {
        var member = MemberWithPurchaseOf25050Fen();
        var now = T0.AddDays(1);

        // Net 25,050 earns 250; after refunding 10,060 the net 14,990 earns 149: take back 101.
        var outcome = member.Refund("f-1", "p-1", now, 10_060);

        Assert.False(outcome.Replayed);
        Assert.Equal(101, outcome.Receipt.Points);
        Assert.Equal(249, outcome.Receipt.Balance);
        Assert.Equal(249, outcome.Receipt.Available);
        var row = Assert.Single(member.Drain());
        Assert.Equal(new LedgerEntry(3, "f-1", LedgerKind.RefundClawback, -101, 249, TestPrograms.Version, Cmd.Store, Cmd.Terminal, now), row);
        Assert.Equal(14_990, member.State.LifetimeSpendFen);
        Assert.Equal(14_990, member.Account.View(T0.AddDays(5)).Tier.QualifyingSpendFen);
    }

    [Fact]
    public void Refund_SeveralPartials_AddUpToWhatWasEarned()
    {
        var member = MemberWithPurchaseOf25050Fen();

        // 25,050 → 14,990 (250 → 149), → 990 (→ 9), → 0 (→ 0).
        Assert.Equal(101, member.Refund("f-1", "p-1", T0.AddDays(1), 10_060).Receipt.Points);
        Assert.Equal(140, member.Refund("f-2", "p-1", T0.AddDays(2), 14_000).Receipt.Points);
        var last = member.Refund("f-3", "p-1", T0.AddDays(3));

        Assert.Equal(9, last.Receipt.Points);
        Assert.Equal(100, last.Receipt.Balance);
        member.Drain();
        Assert.Equal([-101L, -140, -9], member.Ledger.Skip(2).Select(r => r.Points));
        Assert.Equal(0, member.State.LifetimeSpendFen);
        Assert.Equal(0, member.Account.View(T0.AddDays(5)).Tier.QualifyingSpendFen);
        Assert.Equal(100, member.LedgerSum());
    }

    [Fact]
    public void Refund_SmallPartialsAcrossRoundingBoundaries_TakeBackExactlyTheEarnedPoints()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 299, T0); // earns 2

        Assert.Equal(0, member.Refund("f-1", "p-1", T0.AddMinutes(1), 99).Receipt.Points);   // net 200 → 2
        Assert.Equal(1, member.Refund("f-2", "p-1", T0.AddMinutes(2), 1).Receipt.Points);    // net 199 → 1
        Assert.Equal(1, member.Refund("f-3", "p-1", T0.AddMinutes(3), 100).Receipt.Points);  // net 99 → 0
        Assert.Equal(0, member.Refund("f-4", "p-1", T0.AddMinutes(4)).Receipt.Points);       // net 0 → 0

        Assert.Equal(100, member.State.Balance);
        member.AssertRejected(ErrorKind.FailedPrecondition, "original_request_id", a => a.Refund(Cmd.Refund("f-5", "p-1", 1), T0.AddMinutes(5)));
    }

    [Fact]
    public void Refund_TwelveEqualPartialsThenRest_SumEqualsEarned()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 12_345, T0); // earns 123
        long takenBack = 0;
        for (var i = 1; i <= 12; i++)
        {
            // Each 1,000 fen off a net ending in ,345 lowers the floored yuan by exactly 10.
            var points = member.Refund($"f-{i}", "p-1", T0.AddMinutes(i), 1_000).Receipt.Points;
            Assert.Equal(10, points);
            takenBack += points;
        }

        takenBack += member.Refund("f-last", "p-1", T0.AddHours(1)).Receipt.Points; // net 345 → 3 points

        Assert.Equal(123, takenBack);
        Assert.Equal(100, member.State.Balance);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(25_050L)]
    public void Refund_Everything_TakesBackAllEarnedPoints(long amountFen)
    {
        var member = MemberWithPurchaseOf25050Fen();

        var outcome = member.Refund("f-1", "p-1", T0.AddDays(1), amountFen);

        Assert.Equal(250, outcome.Receipt.Points);
        Assert.Equal(100, outcome.Receipt.Balance);
        Assert.Equal(0, member.State.LifetimeSpendFen);
        Assert.Equal(1, member.State.PurchaseCount);
    }

    [Fact]
    public void Refund_OneFenOffWholeYuan_TakesBackOnePoint()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0); // earns 100

        Assert.Equal(1, member.Refund("f-1", "p-1", T0.AddMinutes(1), 1).Receipt.Points); // 9,999 → 99
    }

    [Fact]
    public void Refund_FullyRefundedPurchase_FailsPrecondition()
    {
        var member = MemberWithPurchaseOf25050Fen();
        member.Refund("f-1", "p-1", T0.AddDays(1));

        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "original_request_id", a => a.Refund(Cmd.Refund("f-2", "p-1"), T0.AddDays(2)));
        Assert.Contains("p-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refund_MoreThanPurchase_FailsOnAmount()
    {
        var member = MemberWithPurchaseOf25050Fen();

        member.AssertRejected(ErrorKind.FailedPrecondition, "amount_fen", a => a.Refund(Cmd.Refund("f-1", "p-1", 25_051), T0.AddDays(1)));
    }

    [Fact]
    public void Refund_MoreThanRemainingAfterPartial_FailsOnAmount()
    {
        var member = MemberWithPurchaseOf25050Fen();
        member.Refund("f-1", "p-1", T0.AddDays(1), 10_060);

        member.AssertRejected(ErrorKind.FailedPrecondition, "amount_fen", a => a.Refund(Cmd.Refund("f-2", "p-1", 14_991), T0.AddDays(2)));
        Assert.Equal(149, member.Refund("f-3", "p-1", T0.AddDays(2), 14_990).Receipt.Points);
    }

    [Fact]
    public void Refund_UnknownOriginal_IsNotFound()
    {
        var member = MemberWithPurchaseOf25050Fen();

        member.AssertRejected(ErrorKind.NotFound, "original_request_id", a => a.Refund(Cmd.Refund("f-1", "p-unknown"), T0.AddDays(1)));
    }

    [Fact]
    public void Refund_OfNonPurchaseRequest_IsNotFound()
    {
        var member = MemberWithPurchaseOf25050Fen();
        member.Reserve("r-1", 10, T0.AddMinutes(1));

        member.AssertRejected(ErrorKind.NotFound, "original_request_id", a => a.Refund(Cmd.Refund("f-1", "r-1"), T0.AddMinutes(2)));
        member.AssertRejected(ErrorKind.NotFound, "original_request_id", a => a.Refund(Cmd.Refund("f-2", "enroll-1"), T0.AddMinutes(2)));
    }

    [Fact]
    public void Refund_AfterPointsWereSpent_LeavesDebtAndNegativeBalance()
    {
        var member = MemberWithPurchaseOf25050Fen();
        var hold = member.Reserve("r-1", 350, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2));
        var now = T0.AddDays(1);

        var outcome = member.Refund("f-1", "p-1", now);

        Assert.Equal(250, outcome.Receipt.Points);
        Assert.Equal(-250, outcome.Receipt.Balance);
        Assert.Equal(-250, outcome.Receipt.Available);
        member.Drain();
        Assert.Equal(-250, member.State.Balance);
        Assert.Equal(250, member.State.Debt);
        Assert.Equal(-250, member.LedgerSum());
        Assert.Equal(-250, member.Ledger[^1].BalanceAfter);
        var view = member.Account.View(now);
        Assert.Equal(-250, view.Balance);
        Assert.Equal(250, view.Debt);
        Assert.Empty(view.Lots);
        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-2", 1), now));
    }

    [Fact]
    public void Accrue_WhileInDebt_PaysOffDebtFirst()
    {
        var member = MemberWithPurchaseOf25050Fen();
        var hold = member.Reserve("r-1", 350, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2));
        member.Refund("f-1", "p-1", T0.AddDays(1)); // debt 250

        var small = member.Accrue("p-2", 10_000, T0.AddDays(2)); // 100 points, debt 150 left
        Assert.Equal(100, small.Receipt.Points);
        Assert.Equal(-150, small.Receipt.Balance);
        Assert.Equal(150, member.State.Debt);
        Assert.Empty(member.Account.View(T0.AddDays(2)).Lots);

        var large = member.Accrue("p-3", 20_000, T0.AddDays(3)); // 200 points: 150 to the debt, 50 kept
        Assert.Equal(50, large.Receipt.Balance);
        Assert.Equal(0, member.State.Debt);
        Assert.Equal(50, Assert.Single(member.Account.View(T0.AddDays(3)).Lots).Remaining);
        member.Drain();
        Assert.Equal(new LedgerEntry(6, "p-3", LedgerKind.Earn, 200, 50, TestPrograms.Version, Cmd.Store, Cmd.Terminal, T0.AddDays(3)), member.Ledger[^1]);
        Assert.Equal(50, member.LedgerSum());
        member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Reserve(Cmd.Reserve("r-2", 51), T0.AddDays(3)));
        Assert.Equal(0, member.Reserve("r-3", 50, T0.AddDays(3)).Receipt.Available);
    }

    [Fact]
    public void Refund_PointsPartlySpent_TakesWhatIsLeftAndOwesTheRest()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0); // 200
        var hold = member.Reserve("r-1", 150, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", hold, T0.AddMinutes(2)); // 50 left

        var outcome = member.Refund("f-1", "p-1", T0.AddDays(1));

        Assert.Equal(100, outcome.Receipt.Points);
        Assert.Equal(-50, outcome.Receipt.Balance);
        Assert.Equal(50, member.State.Debt);
        member.Drain();
        Assert.Equal(-50, member.LedgerSum());
    }

    [Fact]
    public void Refund_Partial_TakesFromTheRefundedPurchasesOwnLot()
    {
        var member = TestMember.Enroll(new DateTimeOffset(2024, 6, 1, 4, 0, 0, TimeSpan.Zero)); // lot expiring 2026
        member.Accrue("p-1", 10_000, T0); // lot of 100 expiring 2027

        member.Refund("f-1", "p-1", T0.AddDays(1), 5_000);

        Assert.Equal([100L, 50], member.Account.View(T0.AddDays(1)).Lots.Select(l => l.Remaining));
    }

    [Fact]
    public void Refund_BelowTierThreshold_LowersQualifyingSpendAndTier()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 100_000, T0);
        Assert.Equal(Tier.Silver, member.State.Tier);

        var outcome = member.Refund("f-1", "p-1", T0.AddDays(1), 1);

        Assert.Equal(1, outcome.Receipt.Points); // 1,000 → 999
        Assert.Equal(Tier.Regular, member.State.Tier);
        Assert.Equal(99_999, member.Account.View(T0.AddDays(5)).Tier.QualifyingSpendFen);
        Assert.Equal(99_999, member.State.LifetimeSpendFen);
        Assert.Equal(Tier.Regular, member.Account.View(T0.AddDays(1)).Tier.Tier);
    }

    [Fact]
    public void Refund_FromGold_DropsToTheTierOfTheRemainingSpend()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 600_000, T0);
        member.Accrue("p-2", 500_000, T0.AddMinutes(1));
        Assert.Equal(Tier.Gold, member.State.Tier);

        member.Refund("f-1", "p-2", T0.AddDays(1), 100_001);

        Assert.Equal(999_999, member.Account.View(T0.AddDays(5)).Tier.QualifyingSpendFen);
        Assert.Equal(Tier.Silver, member.State.Tier);
    }
}
