using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>
/// The worked examples of docs/program.md (Offers), on the whole default program. Members enrol on
/// Thursday 5 March 2026 at 10:00; "grocery" is a category no offer covers.
/// </summary>
public sealed class OfferWorkedExampleTests
{
    [Fact]
    public void Accrue_NewMembersFirstBasketOf230Yuan_GetsSpend200Save50AndEarnsOnThe180Paid()
    {
        var member = Member(consent: true);
        var basket = Purchase("p-1", Line("grocery", 23_000));

        var quote = member.Account.Quote(Basket(Line("grocery", 23_000)), Local(2026, 3, 6));
        var receipt = member.Buy(basket, Local(2026, 3, 6));

        var applied = Assert.Single(receipt.Offers!);
        Assert.Equal(("new-member-first-order", OfferKind.AmountOff, 5_000L), (applied.OfferId, applied.Kind, applied.DiscountFen));
        Assert.Equal(5_000, receipt.DiscountFen);
        Assert.Equal(18_000, receipt.CashDueAfterDiscountsFen);
        Assert.Equal(2_160, receipt.Points); // 180 × 12, no threshold bonus below 200 paid
        Assert.Equal(2_260, receipt.Balance);
        Assert.Equal(receipt.Offers, quote.Offers);
        Assert.Equal(receipt.Points, quote.PointsToEarn);
        Assert.Equal(18_000, quote.CashDueAfterDiscountsFen);
        Assert.Equal(OfferCodes.OutsideTimeWindow, quote.Decision("member-day-double-points").Code);
        var use = Assert.Single(member.OfferUses);
        Assert.Equal(new OfferUse("new-member-first-order", "p-1", 0, null, 5_000, 0, false, Local(2026, 3, 6)), use);
    }

    [Fact]
    public void Accrue_TheSameBasketOnDay8_IsExpiredAndEarnsOnTheWhole230()
    {
        var member = Member(consent: true);

        var quote = member.Account.Quote(Basket(Line("grocery", 23_000)), Local(2026, 3, 12));
        var receipt = member.Buy(Purchase("p-1", Line("grocery", 23_000)), Local(2026, 3, 12));

        var decision = quote.Decision("new-member-first-order");
        Assert.Equal(OfferCodes.Expired, decision.Code);
        Assert.Contains("this is day 8", decision.Detail, StringComparison.Ordinal);
        Assert.Null(receipt.Offers);
        Assert.Equal(2_810, receipt.Points); // 230 × 12 + 50
    }

    [Fact]
    public void Accrue_MemberWithoutConsent_GetsNoPersonalisedOfferAndEarnsOnTheWhole230()
    {
        var member = Member(consent: false);

        var quote = member.Account.Quote(Basket(Line("grocery", 23_000)), Local(2026, 3, 6));
        var receipt = member.Buy(Purchase("p-1", Line("grocery", 23_000)), Local(2026, 3, 6));

        Assert.Equal(OfferCodes.NoConsent, quote.Decision("new-member-first-order").Code);
        Assert.Equal(OfferCodes.NoConsent, quote.Decision("baby-formula-gift").Code);
        Assert.Equal(OfferCodes.NoConsent, quote.Decision("birthday-week-double-points").Code);
        Assert.Empty(quote.Offers!);
        Assert.Equal(2_810, receipt.Points);
    }

    [Fact]
    public void Accrue_HouseholdWednesdayOnMemberDay_StacksTheThemeDiscountWithDoublePoints()
    {
        var member = Member(consent: false);
        PurchaseLine[] lines = [Line("household", 10_000), Line("grocery", 5_000)];

        var receipt = member.Buy(Purchase("p-1", lines), Local(2026, 6, 10)); // Wednesday the 10th

        Assert.Equal(["wednesday-household", "member-day-double-points"], receipt.AppliedIds());
        Assert.Equal(1_000, receipt.Offers![0].DiscountFen);
        Assert.Equal((2m, 1_680L), (receipt.Offers[1].Multiplier, receipt.Offers[1].BonusPoints));
        Assert.Equal(14_000, receipt.CashDueAfterDiscountsFen);
        Assert.Equal(1_680, receipt.Earning!.Points); // 140 × 12
        Assert.Equal(3_360, receipt.Points);
        var offerRow = Assert.Single(member.Ledger, r => r.Kind == LedgerKind.Offer);
        Assert.Equal(("member-day-double-points", 1_680L), (offerRow.OfferId, offerRow.Points));
    }

    [Fact]
    public void Accrue_BirthdayWeekOnMemberDay_OnlyTheBirthdayDoubleApplies()
    {
        // Birthday 11 June: its week runs Monday 8 to Sunday 14 June 2026, in the birthday month (×2 by the earning rules).
        var member = Member(consent: true, birthday: new DateOnly(1990, 6, 11));

        var quote = member.Account.Quote(Basket(Line("grocery", 10_000)), Local(2026, 6, 10));
        var receipt = member.Buy(Purchase("p-1", Line("grocery", 10_000)), Local(2026, 6, 10));

        Assert.Equal(["birthday-week-double-points"], receipt.AppliedIds());
        Assert.Equal(2_400, receipt.Earning!.RatePoints); // 100 × 12 × 2 (birthday month)
        Assert.Equal(2_400, receipt.Offers![0].BonusPoints);
        Assert.Equal(4_800, receipt.Points);
        var excluded = quote.Decision("member-day-double-points");
        Assert.Equal(OfferCodes.ExcludedByStacking, excluded.Code);
        Assert.Contains("birthday-week-double-points", excluded.Detail, StringComparison.Ordinal);
        // The accrual also brought the member up to now: the birthday week began and issued its coupon.
        var coupon = Assert.Single(member.State.Wallet);
        Assert.Equal(("birthday-30-off", "birthday-coupon"), (coupon.OfferId, coupon.IssuedBy));
        Assert.Equal([coupon.CouponId], receipt.CouponsIssued);
        var next = member.Account.Quote(Basket(Line("grocery", 10_000)), Local(2026, 6, 10, 11));
        Assert.Equal(OfferCodes.CouponNotPresented, next.Decision("birthday-30-off").Code);
    }

    [Fact]
    public void Refund_HalfOfTheMemberDayBasket_TakesBackRatePointsAndTheMultiplierInProportion()
    {
        var member = Member(consent: false);
        member.Buy(Purchase("p-1", Line("household", 10_000), Line("grocery", 5_000)), Local(2026, 6, 10));

        var partial = member.Refund("f-1", "p-1", Local(2026, 6, 11), 7_000).Receipt;
        member.Drain();

        // 70 of the 140 paid are left: 70 × 10 = 700 rate points (the 10-point bracket) and 700 doubled.
        Assert.Equal(1_960, partial.Points);
        Assert.Equal(100 + 1_400, partial.Balance);
        var rows = member.Ledger.Where(r => r.RequestId == "f-1").Select(r => (r.Kind, r.Points, r.OfferId)).ToList();
        Assert.Equal([(LedgerKind.RefundClawback, -980L, null), (LedgerKind.RefundClawback, -980L, "member-day-double-points")], rows);

        var rest = member.Refund("f-2", "p-1", Local(2026, 6, 12)).Receipt;
        member.Drain();

        Assert.Equal(1_400, rest.Points);
        Assert.Equal(100, rest.Balance);
        var giveBacks = member.OfferUses.Where(u => u.RequestId == "f-2").ToList();
        Assert.Equal(
            [new OfferUse("wednesday-household", "f-2", 0, null, -1_000, 0, true, Local(2026, 6, 12)), new OfferUse("member-day-double-points", "f-2", 0, null, 0, -700, true, Local(2026, 6, 12))],
            giveBacks);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Accrue_PlatinumMember_GetsAFurther10PercentOffPromotedLinesOnly()
    {
        var member = Member(consent: false);
        member.Buy("p-0", "grocery", 5_000_000, Local(2026, 3, 17)); // 50,000 CNY: platinum at once
        Assert.Equal(Tier.Platinum, member.State.Tier);

        var receipt = member.Buy(Purchase("p-1", Line("snacks", 10_000, promoted: true), Line("grocery", 5_000)), Local(2026, 3, 19));

        var applied = Assert.Single(receipt.Offers!);
        Assert.Equal(("platinum-extra-10", 1_000L), (applied.OfferId, applied.DiscountFen));
        Assert.Equal(14_000, receipt.CashDueAfterDiscountsFen);
    }

    [Fact]
    public void Accrue_BabyFormulaBuyerBuyingSixCans_GetsTheGiftOnce()
    {
        var member = Member(consent: true);
        member.Buy("p-1", "baby formula", 3_000, Local(2026, 3, 16));
        member.Buy("p-2", "baby formula", 3_000, Local(2026, 4, 13));
        var budget = new FakeBudget(("baby-formula-gift", 10));

        var receipt = member.Buy(Purchase("p-3", Line("baby formula", 18_000, quantity: 6)), Local(2026, 4, 16), budget);

        var applied = Assert.Single(receipt.Offers!);
        Assert.Equal(("baby-formula-gift", OfferKind.BuyXGetY, "Baby bath set", 1), (applied.OfferId, applied.Kind, applied.Gift!.En, applied.Applications));
        Assert.Equal(0, applied.DiscountFen);
        Assert.Equal(2_160, receipt.Points);
        Assert.Equal([("baby-formula-gift", 1L, "tok-baby-formula-gift-1")], budget.Taken);
        Assert.Equal(9, budget.Left("baby-formula-gift"));
    }

    [Fact]
    public void RecordActivity_ThirdReferral_IssuesTheCouponThatATillThenRedeems()
    {
        var member = Member(consent: false);
        member.Account.RecordActivity(Scenario(1), Local(2026, 3, 6));
        member.Account.RecordActivity(Scenario(2), Local(2026, 3, 7));
        var third = member.Account.RecordActivity(Scenario(3), Local(2026, 3, 8)).Receipt;
        member.Drain();

        var couponId = Assert.Single(third.CouponsIssued!);
        var issued = Assert.Single(member.Events, e => e.Kind == EventKinds.CouponIssued);
        Assert.Equal((couponId, "referral-20-off", "referral-coupon"), (issued.Data["coupon_id"], issued.Data["offer_id"], issued.Data["issued_by"]));
        Assert.Equal(Local(2026, 4, 7, 0), member.State.Wallet[0].ExpiresAt); // 30 days, 8 March being day 1

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 12_000)) with { CouponIds = [couponId] }, Local(2026, 3, 9));

        var applied = Assert.Single(receipt.Offers!);
        Assert.Equal(("referral-20-off", 2_000L, couponId), (applied.OfferId, applied.DiscountFen, applied.CouponId));
        Assert.Equal(1_200, receipt.Points); // 100 paid × 12
        Assert.Equal(CouponStatus.Used, member.State.Wallet[0].Status);

        member.Refund("f-1", "p-1", Local(2026, 3, 10));

        Assert.Equal(CouponStatus.Open, member.State.Wallet[0].Status);

        static ActivityCommand Scenario(int friend) => new($"a-{friend}", Cmd.Store, Cmd.Terminal, "referral", $"friend-{friend}");
    }
}
