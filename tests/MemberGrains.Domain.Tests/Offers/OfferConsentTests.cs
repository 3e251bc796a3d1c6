using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>Personalisation consent: without it a member sees and gets generic offers only.</summary>
public sealed class OfferConsentTests
{
    private static readonly DateTimeOffset Friday = Local(2026, 3, 6);

    private static Offer Personal(string id, OfferTarget target) => Bonus(id, 10) with { Personalised = true, Target = target };

    [Fact]
    public void Quote_PersonalisedOfferWithoutConsent_IsNoConsentBeforeAnyOtherCheck()
    {
        // Expired, for another tier and another segment: without consent none of it is looked at.
        var offer = Personal("personal", new OfferTarget { Tiers = [Tier.Gold], Segments = ["high-value"] }) with { To = new DateOnly(2026, 1, 1) };
        var member = Member(With(offer), consent: false);

        var decision = member.Account.Quote(Basket(Line("grocery", 1_000)), Friday).Decision("personal");

        Assert.Equal(new OfferDecision("personal", OfferKind.BonusPoints, OfferCodes.NoConsent, "A personalised offer: the member has not consented to personalisation."), decision);
    }

    [Fact]
    public void Quote_PersonalisedOfferWithoutTargeting_StillNeedsConsent()
    {
        var member = Member(With(Bonus("personal", 10) with { Personalised = true }), consent: false);

        Assert.Equal(OfferCodes.NoConsent, member.Account.Quote(Basket(Line("grocery", 1_000)), Friday).Decision("personal").Code);
    }

    [Fact]
    public void Accrue_WithoutConsent_GenericOffersStillApply()
    {
        var member = Member(With(Bonus("generic", 10), Personal("personal", new OfferTarget { Lifecycle = [LifecycleStage.Prospect] })), consent: false);

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 1_000)), Friday);

        Assert.Equal(["generic"], receipt.AppliedIds());
    }

    [Fact]
    public void Accrue_WithConsent_PersonalisedOffersApply()
    {
        var member = Member(With(Bonus("generic", 10), Personal("personal", new OfferTarget { Lifecycle = [LifecycleStage.Prospect] })), consent: true);

        var receipt = member.Buy(Purchase("p-1", Line("grocery", 1_000)), Friday);

        Assert.Equal(["generic", "personal"], receipt.AppliedIds());
    }

    [Fact]
    public void ScreenView_WithoutConsent_GenericOffersOnlyNoRemindersNoTags()
    {
        var member = FrequentHouseholdBuyer(consent: false);

        var screen = member.Account.ScreenView(Local(2026, 4, 1), Cmd.Store);

        Assert.False(screen.Personalised);
        Assert.All(screen.Offers, o => Assert.DoesNotContain(o.OfferId, PersonalisedDefaultOffers));
        Assert.Contains(screen.Offers, o => o.OfferId == "wednesday-household");
        Assert.Empty(screen.Reminders);
        Assert.Empty(screen.Tags);
    }

    [Fact]
    public void ScreenView_WithConsent_ShowsTheMembersRemindersAndTags()
    {
        var member = FrequentHouseholdBuyer(consent: true);

        var screen = member.Account.ScreenView(Local(2026, 4, 1), Cmd.Store);

        Assert.True(screen.Personalised);
        Assert.Equal(["household"], screen.Tags.Select(t => t.Category));
        var reminder = Assert.Single(screen.Reminders);
        Assert.Equal(("household", 7, 6, 1), (reminder.Category, reminder.UsualIntervalDays, reminder.DaysSinceLast, reminder.DueInDays));
    }

    [Fact]
    public void Touch_BirthdayWeekWithoutConsent_RaisesTheNoticeButIssuesNoPersonalisedCoupon()
    {
        var member = Member(consent: false, birthday: new DateOnly(1990, 6, 11));

        var events = member.TouchAndDrainAt(Local(2026, 6, 8, 0, 5));

        Assert.Contains(events, e => e.Kind == EventKinds.BirthdayWeekStarted);
        Assert.DoesNotContain(events, e => e.Kind == EventKinds.CouponIssued);
        Assert.Empty(member.State.Wallet);
    }

    private static readonly string[] PersonalisedDefaultOffers =
        [.. DefaultProgram.Document.Offers!.Where(o => o.Personalised).Select(o => o.Id)];

    /// <summary>Household every 7 days in March (4 visits, the last on 26 March): due again on 2 April.</summary>
    private static TestMember FrequentHouseholdBuyer(bool consent)
    {
        var member = Member(consent: consent);
        member.Buy("p-1", "household", 3_000, Local(2026, 3, 5, 18));
        member.Buy("p-2", "household", 3_000, Local(2026, 3, 12, 18));
        member.Buy("p-3", "household", 3_000, Local(2026, 3, 19, 18));
        member.Buy("p-4", "household", 3_000, Local(2026, 3, 26, 18));
        return member;
    }
}
