using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>Uses per member per period, applications per basket, and campaign budgets.</summary>
public sealed class OfferLimitTests
{
    private static Offer Limited(int perMember, LimitPeriod period) =>
        Bonus("limited", 10) with { Limits = new OfferLimits { PerMember = perMember, Period = period } };

    private static bool Applies(TestMember member, DateTimeOffset at) =>
        member.Account.Quote(Basket(Line("grocery", 1_000)), at).Offers!.Any(o => o.OfferId == "limited");

    [Theory]
    [InlineData(LimitPeriod.Day, 2026, 3, 6, 23, 2026, 3, 7, 0)] // the next store-local day
    [InlineData(LimitPeriod.Week, 2026, 3, 8, 23, 2026, 3, 9, 0)] // Sunday, then Monday
    [InlineData(LimitPeriod.Month, 2026, 3, 31, 23, 2026, 4, 1, 0)]
    [InlineData(LimitPeriod.Year, 2026, 12, 31, 23, 2027, 1, 1, 0)]
    public void Accrue_PerMemberPerPeriod_UsedUpUntilTheNextPeriod(LimitPeriod period, int y1, int m1, int d1, int h1, int y2, int m2, int d2, int h2)
    {
        var member = Member(With(Limited(2, period)), enrolledAt: Local(2026, 3, 6, 8));
        var first = Local(2026, 3, 6, 9);
        var last = Local(y1, m1, d1, h1);
        member.Buy("p-1", "grocery", 1_000, first);
        member.Buy("p-2", "grocery", 1_000, last);
        var third = member.Buy(Purchase("p-3", Line("grocery", 1_000)), last.AddMinutes(30));

        Assert.Null(third.Offers);
        var decision = member.Account.Quote(Basket(Line("grocery", 1_000)), last.AddMinutes(40)).Decision("limited");
        Assert.Equal(OfferCodes.LimitReached, decision.Code);
        Assert.Equal($"Used 2 time(s) this {ValidationName(period)}; the limit is 2.", decision.Detail);
        Assert.True(Applies(member, Local(y2, m2, d2, h2)));
    }

    [Fact]
    public void Accrue_LifetimeLimit_NeverComesBack()
    {
        var member = Member(With(Limited(1, LimitPeriod.Lifetime)));
        member.Buy("p-1", "grocery", 1_000, Local(2026, 3, 6));

        Assert.False(Applies(member, Local(2030, 1, 1)));
        Assert.Equal(1, member.State.OfferUses["limited"].Total);
    }

    [Fact]
    public void Accrue_RetryOfTheSamePurchase_CountsTheUseOnce()
    {
        var member = Member(With(Limited(2, LimitPeriod.Lifetime)));
        var command = Purchase("p-1", Line("grocery", 1_000));
        var first = member.Account.Accrue(command, Local(2026, 3, 6));
        member.Drain();

        var retry = member.Account.Accrue(command, Local(2026, 3, 6, 11));

        Assert.True(retry.Replayed);
        Assert.Same(first.Receipt, retry.Receipt);
        Assert.Empty(member.Account.DrainOfferUses());
        Assert.Equal(1, member.State.OfferUses["limited"].Total);
    }

    [Fact]
    public void Quote_PerBasket_CapsTheGroupsOfABuyXGetY()
    {
        var offer = Offer("b1g1", OfferKind.BuyXGetY, new OfferReward { BuyQuantity = 1, FreeQuantity = 1 })
            with { Scope = new OfferScope { Skus = ["YOGURT"] }, Limits = new OfferLimits { PerBasket = 3 } };
        var member = Member(With(offer));

        var quote = member.Account.Quote(Basket(Line("fresh food", 10_000, quantity: 10, sku: "YOGURT")), Local(2026, 3, 6));

        var applied = Assert.Single(quote.Offers!);
        Assert.Equal((3, 3_000L), (applied.Applications, applied.DiscountFen));
    }

    [Fact]
    public void Quote_BudgetExhausted_IsRefusedWithoutTakingAnything()
    {
        var offer = AmountOff("budgeted", (1_000, 500)) with { Budget = new BudgetRule(BudgetUnit.DiscountFen, 1_000_000) };
        var member = Member(With(offer));
        var budget = new FakeBudget(("budgeted", 499));

        var quote = member.Account.Quote(Basket(Line("grocery", 1_000)), Local(2026, 3, 6), budget);

        Assert.Equal(OfferCodes.BudgetExhausted, quote.Decision("budgeted").Code);
        Assert.Equal([("budgeted", 500L)], budget.Asked);
        Assert.Empty(budget.Taken);
    }

    [Fact]
    public void Quote_WithBudgetLeft_AsksButNeverTakes()
    {
        var offer = AmountOff("budgeted", (1_000, 500)) with { Budget = new BudgetRule(BudgetUnit.DiscountFen, 1_000_000) };
        var member = Member(With(offer));
        var budget = new FakeBudget(("budgeted", 500));

        var quote = member.Account.Quote(Basket(Line("grocery", 1_000)), Local(2026, 3, 6), budget);

        Assert.Equal(500, quote.DiscountFen);
        Assert.Empty(budget.Taken);
        Assert.Equal(500, budget.Left("budgeted"));
    }

    [Theory]
    [InlineData(BudgetUnit.DiscountFen, 500)]
    [InlineData(BudgetUnit.Uses, 1)]
    public void Accrue_BudgetedOffer_TakesItsUnitsAndWritesTheTokenWithTheUse(BudgetUnit unit, long units)
    {
        var offer = AmountOff("budgeted", (1_000, 500)) with { Budget = new BudgetRule(unit, 1_000_000) };
        var member = Member(With(offer));
        var budget = new FakeBudget(("budgeted", 10_000));

        member.Buy(Purchase("p-1", Line("grocery", 1_000)), Local(2026, 3, 6), budget);

        Assert.Equal([("budgeted", units, "tok-budgeted-1")], budget.Taken);
        var use = Assert.Single(member.OfferUses);
        Assert.Equal(new OfferUse("budgeted", "p-1", units, "tok-budgeted-1", 500, 0, false, Local(2026, 3, 6)), use);
    }

    [Fact]
    public void Accrue_PointsBudget_TakesTheBonusPoints()
    {
        var offer = Multiplier("double", 2) with { Budget = new BudgetRule(BudgetUnit.Points, 1_000_000) };
        var member = Member(With(offer));
        var budget = new FakeBudget(("double", 1_000_000));

        member.Buy(Purchase("p-1", Line("grocery", 5_000)), Local(2026, 3, 6), budget);

        Assert.Equal([("double", 500L, "tok-double-1")], budget.Taken);
    }

    [Fact]
    public void Accrue_BudgetGoneBetweenCheckAndTake_DropsThatOfferAndKeepsTheOthers()
    {
        var budgeted = AmountOff("budgeted", (1_000, 500)) with { Budget = new BudgetRule(BudgetUnit.DiscountFen, 1_000_000), Priority = 20 };
        var member = Member(With(budgeted, Bonus("free", 7)));
        var budget = new FakeBudget { LoseRaces = true };

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 1_000)), Local(2026, 3, 6), budget);

        Assert.Equal(["free"], receipt.AppliedIds());
        Assert.Equal(0, receipt.DiscountFen);
        Assert.Equal(100 + 7, receipt.Points); // 10 CNY × 10, on the full price
        Assert.DoesNotContain(member.OfferUses, u => u.OfferId == "budgeted");
        Assert.False(member.State.OfferUses.ContainsKey("budgeted"));
    }

    [Fact]
    public void Accrue_OfferWithoutBudget_NeverAsksTheBudget()
    {
        var member = Member(With(Bonus("free", 7)));
        var budget = new FakeBudget();

        member.Buy(Purchase("p-1", Line("grocery", 1_000)), Local(2026, 3, 6), budget);

        Assert.Empty(budget.Asked);
        Assert.Empty(budget.Taken);
        Assert.Equal(new OfferUse("free", "p-1", 0, null, 0, 7, false, Local(2026, 3, 6)), Assert.Single(member.OfferUses));
    }

    private static string ValidationName(LimitPeriod period) => period.ToString().ToLowerInvariant();
}
