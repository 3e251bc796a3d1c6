using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>What refunds do to the offers a purchase used: uses, points, budgets and discounts given back.</summary>
public sealed class OfferRefundTests
{
    private static readonly DateTimeOffset Friday = Local(2026, 3, 6);

    [Fact]
    public void Refund_Full_GivesTheUseBackSoTheLimitAllowsItAgain()
    {
        var member = Member(With(AmountOff("once", (1_000, 500)) with { Limits = new OfferLimits { PerMember = 1 } }));
        member.Buy(Purchase("p-1", Line("grocery", 10_000)), Friday);
        Assert.Equal(OfferCodes.LimitReached, member.Account.Quote(Basket(Line("grocery", 10_000)), Friday).Decision("once").Code);

        member.Refund("f-1", "p-1", Friday.AddHours(1));
        member.Drain();

        Assert.Equal(0, member.State.OfferUses["once"].Total);
        Assert.Equal(["once"], member.Account.Quote(Basket(Line("grocery", 10_000)), Friday.AddHours(2)).AppliedIds());
    }

    [Fact]
    public void Refund_Partial_KeepsADiscountsUse()
    {
        var member = Member(With(AmountOff("once", (1_000, 500)) with { Limits = new OfferLimits { PerMember = 1 } }));
        member.Buy(Purchase("p-1", Line("grocery", 10_000)), Friday);

        member.Refund("f-1", "p-1", Friday.AddHours(1), 5_000);
        member.Drain();

        Assert.Equal(1, member.State.OfferUses["once"].Total);
        Assert.DoesNotContain(member.OfferUses, u => u.GiveBack);
    }

    [Fact]
    public void Refund_OfADiscountedPurchase_RefundsWhatWasPaid()
    {
        var member = Member(With(AmountOff("twenty", (10_000, 2_000))));
        member.Buy(Purchase("p-1", Line("grocery", 10_000)), Friday);

        member.AssertRejected(ErrorKind.FailedPrecondition, "amount_fen", a => a.Refund(Cmd.Refund("f-1", "p-1", 8_001), Friday));
        var receipt = member.Refund("f-2", "p-1", Friday, 8_000).Receipt;

        Assert.Equal(800, receipt.Points); // everything the 80.00 paid earned
        Assert.Equal(100, receipt.Balance);
        Assert.Equal(0, member.Account.View(Friday).LifetimeSpendFen);
    }

    [Theory]
    [InlineData(4_000, 0)] // 20,000 × 16,000 / 20,000 left: still 160.00 ≥ 150.00
    [InlineData(6_000, 500)] // 140.00 left: the minimum no longer holds, all 500 go
    public void Refund_Partial_TakesBonusPointsBackOnlyWhenTheirMinimumNoLongerHolds(long refundFen, long offerPointsBack)
    {
        var offer = Bonus("spend-150-get-500", 500) with { Basket = new BasketCondition { MinSpendFen = 15_000 } };
        var member = Member(With(offer));
        member.Buy(Purchase("p-1", Line("grocery", 20_000)), Friday);

        var receipt = member.Refund("f-1", "p-1", Friday.AddDays(1), refundFen).Receipt;
        member.Drain();

        var offerRows = member.Ledger.Where(r => r.RequestId == "f-1" && r.OfferId == "spend-150-get-500").Sum(r => r.Points);
        Assert.Equal(-offerPointsBack, offerRows);
        Assert.Equal(offerPointsBack > 0, member.State.Purchases["p-1"].Offers[0].UseReturned);
        Assert.Equal(member.State.Balance, member.LedgerSum());
        Assert.True(receipt.Points >= offerPointsBack);
    }

    [Fact]
    public void Refund_WithBudgets_GivesBackWhatEachBudgetCounts()
    {
        var discount = AmountOff("fen", (1_000, 1_000)) with { Budget = new BudgetRule(BudgetUnit.DiscountFen, 100_000), Priority = 30 };
        var uses = AmountOff("uses", (1_000, 500)) with { Budget = new BudgetRule(BudgetUnit.Uses, 100), Priority = 20 };
        var points = Multiplier("points", 2) with { Budget = new BudgetRule(BudgetUnit.Points, 100_000) };
        var member = Member(With(discount, uses, points));
        var budget = new FakeBudget();
        member.Buy(Purchase("p-1", Line("grocery", 21_500)), Friday, budget); // pays 200.00: 2,400 rate points, 2,400 doubled

        member.Refund("f-1", "p-1", Friday.AddDays(1), 10_000); // 100.00 left: 1,200 and 1,200
        member.Refund("f-2", "p-1", Friday.AddDays(2));
        member.Drain();

        var giveBacks = member.OfferUses.Where(u => u.GiveBack).Select(u => (u.RequestId, u.OfferId, u.BudgetUnits, u.BudgetToken, u.DiscountFen, u.BonusPoints)).ToList();
        Assert.Equal(
            [
                ("f-1", "points", -1_200L, "tok-points-3", 0L, -1_200L),
                ("f-2", "fen", -1_000, "tok-fen-1", -1_000, 0),
                ("f-2", "uses", -1, "tok-uses-2", -500, 0),
                ("f-2", "points", -1_200, "tok-points-3", 0, -1_200),
            ],
            giveBacks);
        Assert.Equal(budget.Taken.Sum(t => t.Amount), -giveBacks.Sum(g => g.BudgetUnits)); // everything taken came back
    }

    [Fact]
    public void Refund_Full_TakesBackEveryOfferPointAndTheLedgerStillAddsUp()
    {
        var member = Member(With(Multiplier("double", 2), Bonus("bonus", 77)));
        member.Buy(Purchase("p-1", Line("grocery", 25_000)), Friday);

        var receipt = member.Refund("f-1", "p-1", Friday.AddDays(1)).Receipt;
        member.Drain();

        Assert.Equal(3_050 + 3_000 + 77, receipt.Points);
        Assert.Equal(100, member.State.Balance);
        Assert.Equal(member.State.Balance, member.LedgerSum());
        Assert.All(member.State.Purchases["p-1"].Offers, o => Assert.True(o.UseReturned));
    }

    [Fact]
    public void Refund_OfSpentOfferPointsUnderClawbackWithDebt_OwesWhatTheBalanceCannotCover()
    {
        var program = With(Bonus("bonus", 1_000)) with { Refunds = new RefundRules(SpentPointsPolicy.ClawbackWithDebt), Redemption = Default.Redemption with { MaxBasketSharePercent = 100 } };
        var member = Member(program);
        member.Buy(Purchase("p-1", Line("grocery", 5_000)), Friday); // 500 + 1,000 bonus: 1,600 with the enrolment bonus
        var hold = member.Account.Reserve(Cmd.Reserve("r-1", 1_600) with { BasketFen = 1_000_000 }, Friday).Receipt.HoldId!;
        member.Account.Capture(Cmd.Capture("c-1", hold), Friday);

        member.Refund("f-1", "p-1", Friday.AddDays(1));
        member.Drain();

        Assert.Equal(0, member.State.Balance);
        Assert.Equal(1_500, member.State.Owed);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }
}
