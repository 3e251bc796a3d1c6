using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>How offers combine (exclusive, stackable, best-of, priority), and how screens rank them.</summary>
public sealed class OfferStackingTests
{
    private static readonly DateTimeOffset Friday = Local(2026, 3, 6);

    private static Offer Stacked(Offer offer, OfferStacking stacking, int priority) => offer with { Stacking = stacking, Priority = priority };

    [Fact]
    public void Quote_StackableOffers_AllApplyInPriorityOrder()
    {
        var member = Member(With(
            Stacked(AmountOff("low", (1_000, 100)), OfferStacking.Stackable, 5),
            Stacked(PercentOff("high", 10m), OfferStacking.Stackable, 50),
            Stacked(Bonus("middle", 20), OfferStacking.Stackable, 20)));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Friday);

        Assert.Equal(["high", "middle", "low"], quote.AppliedIds());
        Assert.Equal(1_100, quote.DiscountFen); // 10 % of the price sent plus 1.00: discounts never compound
        Assert.Empty(quote.OfferDecisions!);
    }

    [Fact]
    public void Quote_ExclusiveOfferThatApplies_ExcludesEveryOtherOffer()
    {
        var member = Member(With(
            Stacked(AmountOff("exclusive", (1_000, 100)), OfferStacking.Exclusive, 10),
            Stacked(PercentOff("stackable", 50m), OfferStacking.Stackable, 90),
            Stacked(Multiplier("best", 5), OfferStacking.BestOf, 80)));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Friday);

        Assert.Equal(["exclusive"], quote.AppliedIds());
        Assert.All(quote.OfferDecisions!, d => Assert.Equal((OfferCodes.ExcludedByStacking, "The exclusive offer 'exclusive' applies alone."), (d.Code, d.Detail)));
        Assert.Equal(2, quote.OfferDecisions!.Count);
    }

    [Fact]
    public void Quote_TwoExclusiveOffersApplying_TheHigherPriorityWins()
    {
        var member = Member(With(
            Stacked(AmountOff("big", (1_000, 900)), OfferStacking.Exclusive, 10),
            Stacked(AmountOff("small", (1_000, 100)), OfferStacking.Exclusive, 20)));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Friday);

        Assert.Equal(["small"], quote.AppliedIds());
    }

    [Fact]
    public void Quote_ExclusiveOfferThatDoesNotApply_ExcludesNothing()
    {
        var member = Member(With(
            Stacked(AmountOff("exclusive", (50_000, 100)), OfferStacking.Exclusive, 10),
            Stacked(Bonus("stackable", 5), OfferStacking.Stackable, 1)));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Friday);

        Assert.Equal(["stackable"], quote.AppliedIds());
        Assert.Equal(OfferCodes.BasketCondition, quote.Decision("exclusive").Code);
    }

    [Fact]
    public void Quote_BestOfOffers_OnlyTheMostValuableAppliesAndStacksWithStackables()
    {
        // 100 CNY earns 1,200 rate points: ×2 adds 1,200 points (12.00 CNY at 100 points per CNY), beating 10.00 off.
        var member = Member(With(
            Stacked(AmountOff("ten-off", (1_000, 1_000)), OfferStacking.BestOf, 50),
            Stacked(Multiplier("double", 2), OfferStacking.BestOf, 10),
            Stacked(Bonus("stackable", 5), OfferStacking.Stackable, 1)));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Friday);

        Assert.Equal(["double", "stackable"], quote.AppliedIds());
        var excluded = quote.Decision("ten-off");
        Assert.Equal(OfferCodes.ExcludedByStacking, excluded.Code);
        Assert.Equal("Only one best-of offer applies, and 'double' is worth more (12.00 against 10.00).", excluded.Detail);
    }

    [Fact]
    public void Quote_BestOfTie_TheHigherPriorityWins()
    {
        var member = Member(With(
            Stacked(AmountOff("a", (1_000, 500)), OfferStacking.BestOf, 10),
            Stacked(AmountOff("b", (1_000, 500)), OfferStacking.BestOf, 30)));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Friday);

        Assert.Equal(["b"], quote.AppliedIds());
    }

    [Fact]
    public void Accrue_ReceiptListsAppliedOffersInTheOrderTheyStack()
    {
        var member = Member(With(
            Stacked(Multiplier("double", 2), OfferStacking.BestOf, 40),
            Stacked(PercentOff("ten", 10m), OfferStacking.Stackable, 30),
            Stacked(Bonus("bonus", 5), OfferStacking.Stackable, 60)));

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 10_000)), Friday);

        Assert.Equal(["bonus", "double", "ten"], receipt.AppliedIds());
        Assert.Equal(900, receipt.Offers![1].BonusPoints); // doubles the rate points of the 90.00 paid (below 100: 10 per CNY)
    }

    [Fact]
    public void ScreenView_Offers_RankedByValueThenPriority()
    {
        var member = Member(With(
            Stacked(AmountOff("five", (10_000, 500)), OfferStacking.Stackable, 10),
            Stacked(AmountOff("fifty", (10_000, 1_000), (30_000, 5_000)), OfferStacking.Stackable, 1),
            Stacked(Bonus("points-1000", 1_000), OfferStacking.Stackable, 5), // 10.00 at 100 points per CNY
            Stacked(AmountOff("ten", (10_000, 1_000)), OfferStacking.Stackable, 20),
            Offer("gift", OfferKind.BuyXGetY, new OfferReward { BuyQuantity = 2, Gift = Text("Tote bag"), ValueFen = 800 }) with { Scope = new OfferScope { Categories = ["household"] } }));

        var screen = member.Account.ScreenView(Friday, null);

        Assert.Equal(["fifty", "ten", "points-1000", "gift", "five"], screen.Offers.Select(o => o.OfferId));
        Assert.Equal([5_000L, 1_000, 1_000, 800, 500], screen.Offers.Select(o => o.ValueFen));
    }
}
