using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>The in-store screen: masked identity, points and tier, ranked offers now or soon, reminders and tags.</summary>
public sealed class ScreenViewTests
{
    [Theory]
    [InlineData("m-123456789", "m-1******89")]
    [InlineData("abcdef", "abc*ef")]
    [InlineData("abcde", "ab**e")]
    [InlineData("abcd", "a**d")]
    [InlineData("abc", "a**")]
    [InlineData("ab", "a*")]
    [InlineData("a", "*")]
    [InlineData("会员编号一二三四", "会员编***三四")]
    [InlineData("😀😀😀😀😀😀😀", "😀😀😀**😀😀")]
    public void MaskMemberId_KeepsTheFirstThreeAndLastTwoAndMasksAtLeastHalfOfShortOnes(string memberId, string expected)
    {
        Assert.Equal(expected, MemberAccount.MaskMemberId(memberId));
    }

    [Fact]
    public void ScreenView_PointsTierAndLifecycle_AreThoseOfTheMemberView()
    {
        var member = Member(consent: false, memberId: "880012345678");
        member.Buy("p-1", "grocery", 120_000, Local(2026, 3, 6));
        var now = Local(2026, 3, 7);

        var screen = member.Account.ScreenView(now, Cmd.Store);
        var view = member.Account.View(now);

        Assert.Equal(("880*******78", false), (screen.MaskedMemberId, screen.Personalised));
        Assert.Equal((view.Balance, view.Available, view.Tier, view.ExpiringSoon, view.Lifecycle, view.ProgramVersion, now), (screen.Balance, screen.Available, screen.Tier, screen.ExpiringSoon, screen.Lifecycle, screen.ProgramVersion, screen.AsOf));
        Assert.Equal(Tier.Silver, screen.Tier.Tier);
    }

    [Fact]
    public void ScreenView_SundayEvening_ShowsMondaysThemeDayAsSoon()
    {
        var member = Member(consent: false);

        var sunday = member.Account.ScreenView(Local(2026, 3, 8, 20), Cmd.Store);
        var monday = member.Account.ScreenView(Local(2026, 3, 9, 9), Cmd.Store);

        var soon = Assert.Single(sunday.Offers, o => o.OfferId == "monday-fresh-food");
        Assert.Equal((Local(2026, 3, 9, 0), Local(2026, 3, 10, 0)), (soon.AvailableFrom, soon.ValidUntil));
        Assert.Equal(("THEME_DAY", "PERCENT_OFF", 500L), (soon.ReasonCode, soon.KindCode, soon.ValueFen));
        var now = Assert.Single(monday.Offers, o => o.OfferId == "monday-fresh-food");
        Assert.Null(now.AvailableFrom);
        Assert.Contains(monday.Offers, o => o.OfferId == "member-day-double-points" && o.AvailableFrom == Local(2026, 3, 10, 0));
        Assert.DoesNotContain(monday.Offers, o => o.OfferId == "wednesday-household");
    }

    [Fact]
    public void ScreenView_EveningWindowOver_ShowsTomorrowsWindow()
    {
        var offer = Bonus("evening", 100) with { Schedule = new OfferSchedule { TimeFrom = "18:00", TimeTo = "21:00" } };
        var member = Member(With(offer));

        var afternoon = Assert.Single(member.Account.ScreenView(Local(2026, 3, 6, 15), null).Offers);
        var evening = Assert.Single(member.Account.ScreenView(Local(2026, 3, 6, 19), null).Offers);
        var night = Assert.Single(member.Account.ScreenView(Local(2026, 3, 6, 22), null).Offers);

        Assert.Equal((Local(2026, 3, 6, 18), Local(2026, 3, 6, 21)), (afternoon.AvailableFrom, afternoon.ValidUntil));
        Assert.Equal((null, Local(2026, 3, 6, 21)), (evening.AvailableFrom, evening.ValidUntil));
        Assert.Equal((Local(2026, 3, 7, 18), Local(2026, 3, 7, 21)), (night.AvailableFrom, night.ValidUntil));
    }

    [Fact]
    public void ScreenView_NewMember_SeesTheFirstOrderOfferUntilDay7()
    {
        var member = Member(consent: true);

        var offer = Assert.Single(member.Account.ScreenView(Local(2026, 3, 6), null).Offers, o => o.OfferId == "new-member-first-order");
        var day8 = member.Account.ScreenView(Local(2026, 3, 12), null);

        Assert.Equal(("NEW_MEMBER", "AMOUNT_OFF", 5_000L, Local(2026, 3, 12, 0)), (offer.ReasonCode, offer.KindCode, offer.ValueFen, offer.ValidUntil));
        Assert.Equal("First order: spend 100 save 20, spend 200 save 50", offer.Title.En);
        Assert.Equal("新人专享优惠。", offer.Reason.ZhCn);
        Assert.DoesNotContain(day8.Offers, o => o.OfferId == "new-member-first-order");
    }

    [Fact]
    public void ScreenView_OfferForOtherStores_HiddenInThisStoreShownWithoutAStore()
    {
        var member = Member(With(Bonus("elsewhere", 100) with { Target = new OfferTarget { StoreIds = ["S-002"] } }));

        Assert.Empty(member.Account.ScreenView(Local(2026, 3, 6), Cmd.Store).Offers);
        Assert.Single(member.Account.ScreenView(Local(2026, 3, 6), "S-002").Offers);
        Assert.Single(member.Account.ScreenView(Local(2026, 3, 6), null).Offers);
    }

    [Fact]
    public void ScreenView_OffersTheMemberCannotUse_AreNotShown()
    {
        var member = Member(With(
            Bonus("gold-only", 100) with { Target = new OfferTarget { Tiers = [Tier.Gold] } },
            Bonus("used-up", 100) with { Limits = new OfferLimits { PerMember = 1 } },
            Bonus("no-budget", 100) with { Budget = new BudgetRule(BudgetUnit.Uses, 10) },
            Bonus("next-month", 100) with { From = new DateOnly(2026, 4, 1) },
            Bonus("shown", 1)));
        member.Buy(Purchase("p-1", Line("grocery", 1_000)), Local(2026, 3, 6));
        member.Account.OfferBudget = new FakeBudget(("no-budget", 0));

        var screen = member.Account.ScreenView(Local(2026, 3, 6, 12), null);

        Assert.Equal(["shown"], screen.Offers.Select(o => o.OfferId));
    }

    [Fact]
    public void ScreenView_WalletCoupon_ShownWithItsIdUntilUsed()
    {
        var member = Member(consent: false);
        for (var i = 1; i <= 3; i++)
        {
            member.Account.RecordActivity(new ActivityCommand($"r-{i}", Cmd.Store, Cmd.Terminal, "referral", $"friend-{i}"), Local(2026, 3, 6, 10 + i));
        }

        var coupon = member.State.Wallet[0];
        var shown = Assert.Single(member.Account.ScreenView(Local(2026, 3, 7), null).Offers, o => o.CouponId is not null);
        Assert.Equal(("referral-20-off", coupon.CouponId, "REFERRAL", "AMOUNT_OFF", 2_000L, coupon.ExpiresAt), (shown.OfferId, shown.CouponId, shown.ReasonCode, shown.KindCode, shown.ValueFen, shown.ValidUntil));

        member.Buy(Purchase("p-1", Line("grocery", 10_000)) with { CouponIds = [coupon.CouponId] }, Local(2026, 3, 7));

        Assert.DoesNotContain(member.Account.ScreenView(Local(2026, 3, 7, 11), null).Offers, o => o.CouponId is not null);
    }

    [Fact]
    public void ScreenView_Reminders_UsualIntervalIsTheMedianGapBetweenVisits()
    {
        var member = Member(consent: true);
        // Detergent on 1, 11, 12 (twice), 25 March: visits 1, 11, 12, 25; gaps 10, 1, 13; median 10.
        foreach (var (id, day) in new[] { ("d-1", 1), ("d-2", 11), ("d-3", 12), ("d-3b", 12), ("d-4", 25) })
        {
            member.Buy(id, "detergent", 2_000, Local(2026, 3, day, 12));
        }

        Assert.Empty(member.Account.ScreenView(Local(2026, 3, 28), null).Reminders); // due in 7 days
        var due = Assert.Single(member.Account.ScreenView(Local(2026, 4, 1), null).Reminders);
        var overdue = Assert.Single(member.Account.ScreenView(Local(2026, 4, 14), null).Reminders);
        var lapsed = member.Account.ScreenView(Local(2026, 4, 15), null).Reminders;

        Assert.Equal(new ReplenishmentReminder("detergent", new LocalizedText { En = "Detergent", ZhCn = "洗涤用品" }, 10, 7, 3), due);
        Assert.Equal((20, -10), (overdue.DaysSinceLast, overdue.DueInDays));
        Assert.Empty(lapsed); // more than twice the usual interval: the habit is gone
    }

    [Fact]
    public void ScreenView_Reminders_OnlyForReplenishableCategoriesWithEnoughVisits()
    {
        var member = Member(consent: true);
        member.Buy("f-1", "fresh food", 2_000, Local(2026, 3, 6)); // fresh food: no replenish rule
        member.Buy("f-2", "fresh food", 2_000, Local(2026, 3, 8));
        member.Buy("f-3", "fresh food", 2_000, Local(2026, 3, 10));
        member.Buy("h-1", "household", 2_000, Local(2026, 3, 6)); // household needs 3 visits
        member.Buy("h-2", "household", 2_000, Local(2026, 3, 8));

        Assert.Empty(member.Account.ScreenView(Local(2026, 3, 10, 12), null).Reminders);
    }

    [Fact]
    public void ScreenView_Tags_TheCategoriesTheMemberHasTheAffinityFor()
    {
        var member = Member(consent: true);
        for (var i = 0; i < 4; i++)
        {
            member.Buy($"f-{i}", "fresh food", 2_000, Local(2026, 3, 6 + (i * 7)));
        }

        member.Buy("b-1", "baby formula", 2_000, Local(2026, 3, 6));

        var tag = Assert.Single(member.Account.ScreenView(Local(2026, 3, 28), null).Tags);
        Assert.Equal(("fresh food", "Fresh-food regular", "生鲜常客"), (tag.Category, tag.Tag.En, tag.Tag.ZhCn));
        Assert.Empty(member.Account.ScreenView(Local(2026, 4, 7), null).Tags); // 4 purchases no longer within 30 days
    }
}
