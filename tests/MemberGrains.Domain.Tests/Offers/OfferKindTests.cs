using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>What each kind of offer gives, on programs holding only the offer under test.</summary>
public sealed class OfferKindTests
{
    private static readonly DateTimeOffset Friday = Local(2026, 3, 6);

    [Theory]
    [InlineData(9_999, 0)]
    [InlineData(10_000, 2_000)]
    [InlineData(19_999, 2_000)]
    [InlineData(20_000, 5_000)]
    [InlineData(80_000, 5_000)]
    public void Quote_AmountOff_GivesTheHighestStepReached(long basketFen, long expected)
    {
        var member = Member(With(AmountOff("steps", (10_000, 2_000), (20_000, 5_000))));

        var quote = member.Account.Quote(Basket(Line("grocery", basketFen)), Friday);

        Assert.Equal(expected, quote.DiscountFen);
        if (expected == 0)
        {
            var decision = quote.Decision("steps");
            Assert.Equal(OfferCodes.BasketCondition, decision.Code);
            Assert.Contains("reaches no step; the first needs 100.00", decision.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Quote_AmountOffScopedToACategory_CountsOnlyThatCategorysSpend()
    {
        var offer = AmountOff("fresh-steps", (5_000, 1_000)) with { Scope = new OfferScope { Categories = ["fresh food"] } };
        var member = Member(With(offer));

        var short_ = member.Account.Quote(Basket(Line("fresh food", 4_000), Line("grocery", 9_000)), Friday);
        var enough = member.Account.Quote(Basket(Line("fresh food", 5_000), Line("grocery", 100)), Friday);

        Assert.Equal(0, short_.DiscountFen);
        Assert.Equal(1_000, enough.DiscountFen);
    }

    [Fact]
    public void Accrue_PercentOffACategory_DiscountsOnlyItsLinesRoundedDown()
    {
        var member = Member(With(PercentOff("fresh-10", 10m, "fresh food")));

        var receipt = member.Buy(Purchase("p-1", Line("fresh food", 3_333), Line("fresh food", 1_000, sku: "B"), Line("grocery", 5_000)), Friday);

        Assert.Equal(433, receipt.DiscountFen); // 10 % of 43.33
        Assert.Equal(9_333 - 433, receipt.CashDueAfterDiscountsFen);
    }

    [Fact]
    public void Quote_PercentOffWithoutItsCategory_IsABasketCondition()
    {
        var member = Member(With(PercentOff("fresh-10", 10m, "fresh food")));

        var decision = member.Account.Quote(Basket(Line("grocery", 5_000)), Friday).Decision("fresh-10");

        Assert.Equal(OfferCodes.BasketCondition, decision.Code);
        Assert.Equal("No line the offer covers (fresh food).", decision.Detail);
    }

    [Fact]
    public void Quote_PercentOffPromotedLines_LeavesFullPriceLinesAlone()
    {
        var offer = Offer("promo-10", OfferKind.PercentOff, new OfferReward { Percent = 10 }) with { Scope = new OfferScope { PromotedOnly = true } };
        var member = Member(With(offer));

        var quote = member.Account.Quote(Basket(Line("snacks", 8_000, promoted: true), Line("grocery", 5_000)), Friday);

        Assert.Equal(800, quote.DiscountFen);
    }

    [Theory]
    [InlineData(5, 0, 0)]
    [InlineData(6, 1, 1)]
    [InlineData(11, 1, 1)]
    [InlineData(12, 2, 2)]
    [InlineData(30, 2, 2)] // at most 2 per basket
    public void Quote_BuyXGetAGift_GivesOneGiftPerGroupUpToThePerBasketLimit(int cans, int groups, int expected)
    {
        var offer = Offer("formula-gift", OfferKind.BuyXGetY, new OfferReward { BuyQuantity = 6, Gift = Text("Bath set") })
            with { Scope = new OfferScope { Categories = ["baby formula"] }, Limits = new OfferLimits { PerBasket = 2 } };
        var member = Member(With(offer));

        var quote = member.Account.Quote(Basket(Line("baby formula", cans * 3_000L, quantity: cans)), Friday);

        Assert.Equal(groups, expected);
        if (expected == 0)
        {
            Assert.Equal(OfferCodes.BasketCondition, quote.Decision("formula-gift").Code);
            return;
        }

        var applied = Assert.Single(quote.Offers!);
        Assert.Equal((expected, "Bath set", 0L), (applied.Applications, applied.Gift!.En, applied.DiscountFen));
    }

    [Fact]
    public void Quote_BuyTwoGetOneFree_GivesTheCheapestUnitsOfEachGroup()
    {
        var offer = Offer("b2g1", OfferKind.BuyXGetY, new OfferReward { BuyQuantity = 2, FreeQuantity = 1 })
            with { Scope = new OfferScope { Categories = ["household"] }, Limits = new OfferLimits { PerBasket = 5 } };
        var member = Member(With(offer));

        // 7 units: two groups of three; the two cheapest units (at 10.00 and 12.50) are free.
        var quote = member.Account.Quote(Basket(Line("household", 5_000, quantity: 4, sku: "A"), Line("household", 1_000, quantity: 1, sku: "B"), Line("household", 2_500, quantity: 2, sku: "C")), Friday);

        Assert.Equal(2_250, quote.DiscountFen);
        Assert.Equal(2, Assert.Single(quote.Offers!).Applications);
    }

    [Fact]
    public void Accrue_PointsMultiplier_BooksRatePointsTimesMultiplierMinusOneAsAnOfferRow()
    {
        var member = Member(With(Multiplier("triple", 3)));

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 25_000)), Friday);

        Assert.Equal(3_000, receipt.Earning!.RatePoints);
        Assert.Equal(50, receipt.Earning.BonusPoints);
        var applied = Assert.Single(receipt.Offers!);
        Assert.Equal((3m, 6_000L), (applied.Multiplier, applied.BonusPoints));
        Assert.Equal(9_050, receipt.Points);
        var row = Assert.Single(member.Ledger, r => r.Kind == LedgerKind.Offer);
        Assert.Equal(("triple", 6_000L, "p-1"), (row.OfferId, row.Points, row.RequestId));
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Quote_PointsMultiplierOnACategory_MultipliesThatCategorysShareOfTheRatePoints()
    {
        var offer = Multiplier("eco-double", 2) with { Scope = new OfferScope { Categories = ["household"] } };
        var member = Member(With(offer));

        var quote = member.Account.Quote(Basket(Line("household", 3_000), Line("grocery", 9_000)), Friday);

        Assert.Equal(1_440, quote.Earning.RatePoints); // 120 × 12
        Assert.Equal(360, Assert.Single(quote.Offers!).BonusPoints); // a quarter of the basket
    }

    [Fact]
    public void Accrue_BonusPoints_AddsThemAsTheirOwnLedgerRowPendingLikeThePurchase()
    {
        var program = With(Bonus("bonus-88", 88)) with { Earning = Default.Earning with { PendingDays = 7 } };
        var member = Member(program);

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 1_000)), Friday);

        Assert.Equal(100 + 88, receipt.Points);
        Assert.Equal(100, receipt.Available); // the enrolment bonus; the rest waits out the return window
        var row = Assert.Single(member.Ledger, r => r.Kind == LedgerKind.Offer);
        Assert.Equal(("bonus-88", 88L), (row.OfferId, row.Points));
    }

    [Fact]
    public void Accrue_CouponOfferAtTheTill_IssuesTheTemplatesCouponToTheWallet()
    {
        var template = AmountOff("next-visit-10", (5_000, 1_000)) with { Wallet = new WalletTerms(10) };
        var issuer = Offer("spend-200-get-coupon", OfferKind.Coupon, new OfferReward { CouponOfferId = "next-visit-10" }) with { Basket = new BasketCondition { MinSpendFen = 20_000 } };
        var member = Member(With(template, issuer));

        var small = member.Buy(Purchase("p-1", Line("grocery", 19_000)), Friday);
        var large = member.Buy(Purchase("p-2", Line("grocery", 20_000)), Friday);

        Assert.Null(small.Offers);
        var applied = Assert.Single(large.Offers!);
        Assert.Equal(OfferKind.Coupon, applied.Kind);
        var coupon = Assert.Single(member.State.Wallet);
        Assert.Equal((applied.IssuedCouponId, "next-visit-10", CouponStatus.Open), (coupon.CouponId, coupon.OfferId, coupon.Status));
        Assert.Equal(Local(2026, 3, 16, 0), coupon.ExpiresAt);
        Assert.Equal([coupon.CouponId], large.CouponsIssued);
        Assert.Single(member.Events, e => e.Kind == EventKinds.CouponIssued && e.Data["trigger"] == "purchase");
    }

    [Fact]
    public void Accrue_DiscountsLargerThanTheBasket_StopAtTheBasketAndTheRestIsExcluded()
    {
        var member = Member(With(AmountOff("a", (1_000, 800)) with { Priority = 20 }, AmountOff("b", (1_000, 900))));

        var quote = member.Account.Quote(Basket(Line("grocery", 1_000)), Friday);

        Assert.Equal(1_000, quote.DiscountFen);
        Assert.Equal([("a", 800L), ("b", 200L)], quote.Offers!.Select(o => (o.OfferId, o.DiscountFen)));
        Assert.Equal(0, quote.CashDueAfterDiscountsFen);
        Assert.Equal(0, quote.Earning.Points);
    }
}
