using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>The checkout dry run: what a basket earns and what points can pay, without changing anything.</summary>
public sealed class QuoteTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>Enrolment (100) and 100 CNY bought at T0 (1,200): 1,300 points.</summary>
    private static TestMember MemberWith1300Points(LoyaltyProgram? program = null)
    {
        var member = Member(program: program);
        member.Buy("p-1", 10_000, T0);
        return member;
    }

    [Theory]
    [InlineData(25_000, 0)]
    [InlineData(15_000, 10_000)] // mixed with eco
    [InlineData(400_000, 0)] // more than the room left under today's cap
    public void Quote_ThenAccrueOfTheSameBasket_EarnsTheSamePoints(long foodFen, long ecoFen)
    {
        var member = Member(birthday: new DateOnly(1990, 3, 25)); // birthday month: ×2
        var now = T0.AddHours(1);
        member.Buy("p-0", 200_000, now); // uses part of today's cap
        PurchaseLine[] lines = ecoFen > 0 ? [new("F", "food", 1, foodFen), new("E", "eco", 1, ecoFen)] : [new("F", "food", 1, foodFen)];

        var quoted = member.Account.Quote(new QuoteCommand(Cmd.Store, foodFen + ecoFen, lines, 0), now.AddMinutes(5)).Earning;
        var earned = member.Account.Accrue(Basket("p-1", lines), now.AddMinutes(5)).Receipt.Earning!;

        Assert.Equal(earned.Points, quoted.Points);
        Assert.Equal(earned with { Campaigns = [] }, quoted with { Campaigns = [] });
        Assert.Equal(earned.Campaigns, quoted.Campaigns);
    }

    [Fact]
    public void Quote_WhenTimeBasedRulesAreDue_ChangesNothing()
    {
        // A Gold member with a birthday, next seen after the points expired and monthly reviews are due.
        var member = Member(birthday: new DateOnly(1990, 1, 5));
        member.Buy("p-1", 1_000_000, T0);
        var before = member.Snapshot();

        var quote = member.Account.Quote(Quote(10_000, 100), Local(2027, 1, 2));

        Assert.Equal(before, member.Snapshot());
        Assert.Empty(member.Account.DrainLedger());
        Assert.Empty(member.Account.DrainEvents());
        Assert.Equal(0, quote.Available);
        Assert.Equal(["insufficient_points"], quote.Reasons);
    }

    [Theory]
    [InlineData(2_000, 1_000)] // 50 % of 20 CNY = 10 CNY = 1,000 points
    [InlineData(10_000, 1_300)] // 50 CNY would allow 5,000: the available balance limits
    [InlineData(300, 100)] // 1.50 CNY allows 150 points: one step of 100
    [InlineData(199, 0)] // 0.99 CNY allows 99 points: below the 100 minimum
    public void Quote_NoPointsAsked_OffersTheMostWithinShareMinimumAndStep(long basketFen, long expected)
    {
        var member = MemberWith1300Points();

        var quote = member.Account.Quote(Quote(basketFen), T0.AddMinutes(1));

        Assert.Equal(expected, quote.MaxRedeemablePoints);
        Assert.Equal(expected, quote.MaxRedeemableValueFen); // 100 points = 1 CNY: a point is worth a fen
        Assert.Equal(1_300, quote.Available);
        Assert.Equal(RedemptionDecision.Approve, quote.Decision);
        Assert.Empty(quote.Reasons);
        Assert.Equal(basketFen, quote.CashDueFen);
    }

    [Fact]
    public void Quote_ValidPointsAsked_ApprovesAndLowersTheCashDue()
    {
        var member = MemberWith1300Points();

        var quote = member.Account.Quote(Quote(10_000, 500), T0.AddMinutes(1));

        Assert.Equal(RedemptionDecision.Approve, quote.Decision);
        Assert.Equal((500L, 500L, 9_500L), (quote.RedeemPoints, quote.RedeemValueFen, quote.CashDueFen));
    }

    [Theory]
    [InlineData(10_000, 150, "invalid_amount")]
    [InlineData(10_000, 50, "invalid_amount")]
    [InlineData(2_000, 1_100, "basket_share_exceeded")]
    [InlineData(1_000_000, 1_400, "insufficient_points")]
    public void Quote_InvalidOrTooManyPointsAsked_DeclinesWithTheReason(long basketFen, long asked, string reason)
    {
        var member = MemberWith1300Points();

        var quote = member.Account.Quote(Quote(basketFen, asked), T0.AddMinutes(1));

        Assert.Equal(RedemptionDecision.Decline, quote.Decision);
        Assert.Equal([reason], quote.Reasons);
        Assert.Equal(basketFen, quote.CashDueFen);
    }

    [Theory]
    [InlineData(500, 500)] // 100 points per CNY
    [InlineData(600, 666)] // 90 per CNY: 6.666… CNY, in whole fen
    [InlineData(2_000, 2_222)]
    [InlineData(2_100, 2_625)] // 80 per CNY
    public void Quote_TieredRedemptionValue_ValuesTheWholeRedemptionAtItsBand(long asked, long valueFen)
    {
        var member = Member(program: TieredValue());
        member.Buy("p-1", 400_000, T0);

        var quote = member.Account.Quote(Quote(1_000_000, asked), T0.AddDays(2));

        Assert.Equal(RedemptionDecision.Approve, quote.Decision);
        Assert.Equal(valueFen, quote.RedeemValueFen);
        Assert.Equal(1_000_000 - valueFen, quote.CashDueFen);
    }

    [Fact]
    public void Quote_TieredRedemptionValue_PaysTheBasketShareWithFewerPoints()
    {
        var tiered = Member(program: TieredValue());
        var flat = Member();
        tiered.Buy("p-1", 400_000, T0);
        flat.Buy("p-1", 400_000, T0);

        // Half of 100 CNY is 5,000 fen: 5,000 points at 100/CNY, but only 4,000 at 80/CNY.
        var withBands = tiered.Account.Quote(Quote(10_000), T0.AddDays(2));
        var without = flat.Account.Quote(Quote(10_000), T0.AddDays(2));

        Assert.Equal((4_000L, 5_000L), (withBands.MaxRedeemablePoints, withBands.MaxRedeemableValueFen));
        Assert.Equal((5_000L, 5_000L), (without.MaxRedeemablePoints, without.MaxRedeemableValueFen));
    }

    [Theory]
    [InlineData(0, 10)] // Regular
    [InlineData(1_000_000, 15)] // Gold
    [InlineData(5_000_000, 20)] // Platinum
    public void Quote_Member_GivesTheTierDiscount(long spentFen, int discount)
    {
        var member = Member();
        if (spentFen > 0)
        {
            member.Buy("p-1", spentFen, T0);
        }

        var quote = member.Account.Quote(Quote(10_000), T0.AddMinutes(1));

        Assert.Equal(discount, quote.TierDiscountPercent);
    }

    [Fact]
    public void Quote_GoldMemberAfterAMonthBelowUpkeep_GivesTheReviewedTiersDiscount()
    {
        var member = Member();
        member.Buy("p-1", 1_000_000, T0); // Gold in March
        member.Buy("p-2", 10_000, Local(2025, 4, 5)); // only 100 CNY in April

        var quote = member.Account.Quote(Quote(10_000), Local(2025, 5, 1));

        Assert.Equal(10, quote.TierDiscountPercent);
        Assert.Equal(Tier.Gold, member.State.Tier);
    }

    private static LoyaltyProgram TieredValue() => Default with
    {
        Redemption = Default.Redemption with { TieredValue = [new(100, 100), new(501, 90), new(2_001, 80)] },
    };
}
