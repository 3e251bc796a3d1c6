using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>Wallet coupons: issued by member events and at the till, redeemed once, given back by a full refund.</summary>
public sealed class CouponTests
{
    /// <summary>A 20.00-off-100 template and a coupon offer issuing it on the third referral.</summary>
    private static LoyaltyProgram ReferralProgram(int validDays = 30) => With(
        AmountOff("twenty-off", (10_000, 2_000)) with { Wallet = new WalletTerms(validDays) },
        Offer("referrals", OfferKind.Coupon, new OfferReward { CouponOfferId = "twenty-off" })
            with { IssueOn = new OfferTrigger { Event = TriggerEvent.ActivityCount, Activity = "referral", Count = 3 } });

    private static string Refer(TestMember member, int friends, DateTimeOffset at)
    {
        for (var i = 1; i <= friends; i++)
        {
            member.Account.RecordActivity(new ActivityCommand($"r-{i}", Cmd.Store, Cmd.Terminal, "referral", $"friend-{i}"), at.AddMinutes(i));
        }

        member.Drain();
        return member.State.Wallet.LastOrDefault()?.CouponId ?? string.Empty;
    }

    private static AccrueCommand WithCoupons(string requestId, long totalFen, params string[] coupons) =>
        Purchase(requestId, Line("grocery", totalFen)) with { CouponIds = coupons };

    [Fact]
    public void RecordActivity_CountReachedOnce_IssuesOneCouponAndNeverAgain()
    {
        var member = Member(ReferralProgram());

        Refer(member, 5, Local(2026, 3, 6));

        var coupon = Assert.Single(member.State.Wallet);
        Assert.Equal((MemberAccount.CouponId("m-1", 1), "twenty-off", "referrals", "r-3"), (coupon.CouponId, coupon.OfferId, coupon.IssuedBy, coupon.SourceRequestId));
        var use = Assert.Single(member.OfferUses);
        // An issue triggered by an event is keyed by the coupon it issued (time-triggered issues
        // share the sweeper's request id); the request that triggered it is on the coupon.
        Assert.Equal(("referrals", coupon.CouponId, coupon.CouponId), (use.OfferId, use.RequestId, use.CouponId));
    }

    [Fact]
    public void Touch_BirthdayWeekStarts_IssuesTheBirthdayCouponOnceAYear()
    {
        var member = Member(consent: true, birthday: new DateOnly(1990, 6, 11));

        var events = member.TouchAndDrainAt(Local(2026, 6, 8, 0, 5));
        member.TouchAndDrainAt(Local(2026, 6, 9));

        var issued = Assert.Single(events, e => e.Kind == EventKinds.CouponIssued);
        Assert.Equal(("birthday-30-off", "birthday-coupon", "birthday_week_started"), (issued.Data["offer_id"], issued.Data["issued_by"], issued.Data["trigger"]));
        var coupon = Assert.Single(member.State.Wallet);
        Assert.Equal(Local(2026, 6, 15, 0), coupon.ExpiresAt); // 7 days, 8 June being day 1
        var next = member.TouchAndDrainAt(Local(2027, 6, 7, 0, 5)); // the 2027 week starts on Monday 7 June
        Assert.Single(next, e => e.Kind == EventKinds.CouponIssued);
    }

    [Fact]
    public void NextDueAt_MemberWithBirthdayCoupons_IsTheStartOfTheBirthdayWeek()
    {
        var program = Default with { Notices = new NoticeRules(BirthdayWeek: false, ExpiringSoon: false), Expiry = Default.Expiry with { Mode = ExpiryMode.Never } };
        var member = Member(program, consent: true, birthday: new DateOnly(1990, 6, 11));

        Assert.Equal(Local(2026, 6, 8, 0), member.Account.NextDueAt(Local(2026, 3, 6)));
    }

    [Fact]
    public void Touch_ChurnRiskRaised_IssuesTheWinBackCoupon()
    {
        var member = Member(consent: true);
        for (var i = 0; i < 4; i++)
        {
            member.Buy($"p-{i}", "grocery", 2_000, Local(2026, 3, 9 + (i * 7)));
        }

        var events = member.TouchAndDrainAt(Local(2026, 5, 1));

        Assert.Contains(events, e => e.Kind == EventKinds.ChurnRiskRaised);
        var coupon = Assert.Single(member.State.Wallet);
        Assert.Equal(("win-back-20-off", "win-back-coupon"), (coupon.OfferId, coupon.IssuedBy));
        var screen = member.Account.ScreenView(Local(2026, 5, 1, 12), null);
        Assert.Contains(screen.Offers, o => o.CouponId == coupon.CouponId && o.ReasonCode == "WIN_BACK" && o.KindCode == "AMOUNT_OFF" && o.ValidUntil == coupon.ExpiresAt);
        Assert.Contains(screen.Offers, o => o.OfferId == "win-back-double-points"); // at risk now
    }

    [Fact]
    public void Touch_ChurnRiskWithAnExhaustedBudget_IssuesNothing()
    {
        var member = Member(consent: true);
        for (var i = 0; i < 4; i++)
        {
            member.Buy($"p-{i}", "grocery", 2_000, Local(2026, 3, 9 + (i * 7)));
        }

        var events = member.TouchAndDrainAt(Local(2026, 5, 1), new FakeBudget(("win-back-coupon", 0)));

        Assert.Contains(events, e => e.Kind == EventKinds.ChurnRiskRaised);
        Assert.Empty(member.State.Wallet);
        Assert.Empty(member.OfferUses);
    }

    [Fact]
    public void Accrue_PresentedCoupon_AppliesOnceAndIsUsed()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));

        var receipt = member.Buy(WithCoupons("p-1", 12_000, couponId), Local(2026, 3, 7));

        Assert.Equal(2_000, receipt.DiscountFen);
        var coupon = Assert.Single(member.State.Wallet);
        Assert.Equal((CouponStatus.Used, "p-1", Local(2026, 3, 7)), (coupon.Status, coupon.UsedBy, coupon.UsedAt));
        var again = member.Account.Quote(Basket(Line("grocery", 12_000)) with { CouponIds = [couponId] }, Local(2026, 3, 8));
        var decision = again.Decision("twenty-off");
        Assert.Equal((OfferCodes.CouponUsed, couponId), (decision.Code, decision.CouponId));
    }

    [Fact]
    public void Accrue_RetryWithTheSameCoupon_ReplaysWithoutUsingItTwice()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));
        var command = WithCoupons("p-1", 12_000, couponId);
        var first = member.Account.Accrue(command, Local(2026, 3, 7));
        member.Drain();
        var uses = member.OfferUses.Count;

        var retry = member.Account.Accrue(command, Local(2026, 3, 7, 10, 5));

        Assert.True(retry.Replayed);
        Assert.Same(first.Receipt, retry.Receipt);
        Assert.Empty(member.Account.DrainOfferUses());
        Assert.Equal(uses, member.OfferUses.Count);
    }

    [Fact]
    public void Accrue_SameRequestIdWithOtherCoupons_IsAlreadyExists()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));
        member.Buy(WithCoupons("p-1", 12_000), Local(2026, 3, 7));

        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => a.Accrue(WithCoupons("p-1", 12_000, couponId), Local(2026, 3, 7)));
    }

    [Fact]
    public void Accrue_UsedCouponPresentedAgain_PurchaseStillEarnsAndTheReceiptSaysWhy()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));
        member.Buy(WithCoupons("p-1", 12_000, couponId), Local(2026, 3, 7));

        var second = member.Buy(WithCoupons("p-2", 12_000, couponId), Local(2026, 3, 7));

        Assert.Equal(0, second.DiscountFen);
        Assert.Equal(1_440, second.Points);
        Assert.Equal(OfferCodes.CouponUsed, Assert.Single(second.OfferDecisions!).Code);
    }

    [Fact]
    public void Quote_UnknownOrAnotherMembersCoupon_IsNotHeld()
    {
        var other = Member(ReferralProgram());
        var othersCoupon = Refer(other, 3, Local(2026, 3, 6));
        var member = Member(ReferralProgram(), memberId: "m-2");

        var quote = member.Account.Quote(Basket(Line("grocery", 12_000)) with { CouponIds = [othersCoupon, "C9-abcdef"] }, Local(2026, 3, 7));

        Assert.Equal([OfferCodes.CouponNotHeld, OfferCodes.CouponNotHeld], quote.OfferDecisions!.Select(d => d.Code));
        Assert.Equal([othersCoupon, "C9-abcdef"], quote.OfferDecisions!.Select(d => d.CouponId));
        Assert.Equal(0, quote.DiscountFen);
    }

    [Fact]
    public void Quote_ExpiredCoupon_IsExpired()
    {
        var member = Member(ReferralProgram(validDays: 2));
        var couponId = Refer(member, 3, Local(2026, 3, 6)); // valid 6 and 7 March

        var open = member.Account.Quote(Basket(Line("grocery", 12_000)) with { CouponIds = [couponId] }, Local(2026, 3, 7, 23, 59));
        var expired = member.Account.Quote(Basket(Line("grocery", 12_000)) with { CouponIds = [couponId] }, Local(2026, 3, 8, 0, 0));

        Assert.Equal(2_000, open.DiscountFen);
        Assert.Equal(OfferCodes.Expired, expired.Decision("twenty-off").Code);
    }

    [Fact]
    public void Accrue_CouponWhoseBasketFallsShort_StaysOpen()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));

        var receipt = member.Buy(WithCoupons("p-1", 9_999, couponId), Local(2026, 3, 7));

        Assert.Equal(OfferCodes.BasketCondition, Assert.Single(receipt.OfferDecisions!).Code);
        Assert.Equal(CouponStatus.Open, member.State.Wallet[0].Status);
    }

    [Fact]
    public void Quote_HeldCouponNotPresented_IsListedForTheTill()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));

        var decision = member.Account.Quote(Basket(Line("grocery", 12_000)), Local(2026, 3, 7)).Decision("twenty-off");

        Assert.Equal((OfferCodes.CouponNotPresented, couponId), (decision.Code, decision.CouponId));
    }

    [Fact]
    public void Quote_TwoCouponsOfOneTemplate_OnlyOnePerBasket()
    {
        var fourth = Offer("fourth-referral", OfferKind.Coupon, new OfferReward { CouponOfferId = "twenty-off" })
            with { IssueOn = new OfferTrigger { Event = TriggerEvent.ActivityCount, Activity = "referral", Count = 4 } };
        var program = ReferralProgram();
        var member = Member(program with { Offers = [.. program.Offers!, fourth] });
        Refer(member, 4, Local(2026, 3, 6));
        var (first, second) = (member.State.Wallet[0].CouponId, member.State.Wallet[1].CouponId);

        var quote = member.Account.Quote(Basket(Line("grocery", 30_000)) with { CouponIds = [first, second] }, Local(2026, 3, 7));

        Assert.Equal(2_000, quote.DiscountFen);
        Assert.Equal(first, Assert.Single(quote.Offers!).CouponId);
        var decision = quote.OfferDecisions!.Single(d => d.CouponId == second);
        Assert.Equal(OfferCodes.LimitReached, decision.Code);
    }

    [Theory]
    [InlineData(0, CouponStatus.Open)]
    [InlineData(5_000, CouponStatus.Used)]
    public void Refund_OfThePurchaseThatUsedTheCoupon_GivesItBackOnlyWhenFull(long amountFen, CouponStatus expected)
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));
        member.Buy(WithCoupons("p-1", 12_000, couponId), Local(2026, 3, 7));

        member.Refund("f-1", "p-1", Local(2026, 3, 8), amountFen);

        Assert.Equal(expected, member.State.Wallet[0].Status);
        if (expected == CouponStatus.Open)
        {
            var again = member.Buy(WithCoupons("p-2", 12_000, couponId), Local(2026, 3, 9));
            Assert.Equal(2_000, again.DiscountFen);
        }
    }

    [Fact]
    public void Refund_AfterTheCouponExpired_DoesNotGiveItBack()
    {
        var member = Member(ReferralProgram(validDays: 2));
        var couponId = Refer(member, 3, Local(2026, 3, 6));
        member.Buy(WithCoupons("p-1", 12_000, couponId), Local(2026, 3, 7));

        member.Refund("f-1", "p-1", Local(2026, 3, 9));

        Assert.Equal(CouponStatus.Used, member.State.Wallet[0].Status);
    }

    [Fact]
    public void Refund_OfThePurchaseThatIssuedACoupon_RevokesItIfUnused()
    {
        var template = AmountOff("next-visit", (5_000, 1_000)) with { Wallet = new WalletTerms(10) };
        var issuer = Offer("spend-200", OfferKind.Coupon, new OfferReward { CouponOfferId = "next-visit" }) with { Basket = new BasketCondition { MinSpendFen = 20_000 } };
        var member = Member(With(template, issuer));
        var couponId = member.Buy(Purchase("p-1", Line("grocery", 20_000)), Local(2026, 3, 6)).CouponsIssued![0];

        member.Refund("f-1", "p-1", Local(2026, 3, 7));

        Assert.Equal(CouponStatus.Revoked, member.State.Wallet[0].Status);
        var quote = member.Account.Quote(Basket(Line("grocery", 6_000)) with { CouponIds = [couponId] }, Local(2026, 3, 7));
        Assert.Equal(OfferCodes.CouponNotHeld, Assert.Single(quote.OfferDecisions!, d => d.CouponId == couponId).Code);
    }

    [Fact]
    public void Accrue_CouponIssuedUnderAnOlderVersion_KeepsItsTermsAfterTheTemplateIsWithdrawn()
    {
        var catalog = new StaticProgramCatalog(ReferralProgram(), TestPrograms.Version);
        var member = Member(catalog);
        var couponId = Refer(member, 3, Local(2026, 3, 6));
        catalog.Publish(With());

        var receipt = member.Buy(WithCoupons("p-1", 12_000, couponId), Local(2026, 3, 7));

        Assert.Equal(("twenty-off", 2_000L), (Assert.Single(receipt.Offers!).OfferId, receipt.DiscountFen));
    }

    [Fact]
    public void Accrue_RepeatedCouponId_IsInvalidArgument()
    {
        var member = Member(ReferralProgram());
        var couponId = Refer(member, 3, Local(2026, 3, 6));

        var error = member.AssertRejected(ErrorKind.InvalidArgument, "coupon_ids[1]", a => a.Accrue(WithCoupons("p-1", 12_000, couponId, couponId), Local(2026, 3, 7)));

        Assert.Contains("used at most once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_TooManyCoupons_IsInvalidArgument()
    {
        var member = Member(ReferralProgram());
        var coupons = Enumerable.Range(1, 21).Select(i => $"C{i}").ToArray();

        var error = Assert.Throws<DomainException>(() => member.Account.Quote(Basket(Line("grocery", 100)) with { CouponIds = coupons }, Local(2026, 3, 7)));

        Assert.Equal(("coupon_ids", ErrorKind.InvalidArgument), (error.Field, error.Kind));
    }
}
