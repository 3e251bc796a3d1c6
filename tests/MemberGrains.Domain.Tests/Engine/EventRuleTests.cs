using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Member events: what raises them, how often, their sequence and the program version on every row.</summary>
public sealed class EventRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Fact]
    public void Enroll_NewMember_RaisesEnrolledAsTheFirstEvent()
    {
        var member = Member();

        var enrolled = Assert.Single(member.Events);

        Assert.Equal((1L, EventKinds.Enrolled, "100", Cmd.Store), (enrolled.Seq, enrolled.Kind, enrolled.Data["points"], enrolled.Data["store_id"]));
    }

    [Fact]
    public void Accrue_TwoPurchases_RaisesFirstPurchaseOnce()
    {
        var member = Member();

        member.Buy("p-1", 10_000, T0);
        member.Buy("p-2", 10_000, T0.AddDays(1));

        var first = Assert.Single(member.EventsOf(EventKinds.FirstPurchase));
        Assert.Equal(("p-1", "10000"), (first["request_id"], first["total_fen"]));
    }

    [Fact]
    public void Touch_FourPurchasesIn90DaysThen30SilentDays_RaisesChurnRiskOnce()
    {
        var member = Member();
        for (var i = 0; i < 4; i++)
        {
            member.Buy($"p-{i}", 10_000, T0.AddDays(20 * i)); // last on 9 May 2025
        }

        var due = member.Account.NextDueAt(T0.AddDays(60));
        Assert.Empty(member.TouchAndDrain(Local(2025, 6, 7, 23, 59)));
        var raised = Assert.Single(member.TouchAndDrain(Local(2025, 6, 8)));
        Assert.Empty(member.TouchAndDrain(Local(2025, 6, 9)));

        Assert.Equal(Local(2025, 6, 8), due);
        Assert.Equal((EventKinds.ChurnRiskRaised, "30"), (raised.Kind, raised.Data["silent_days"]));
        var flag = Assert.Single(member.Account.View(Local(2025, 6, 9)).Flags);
        Assert.Equal((RiskCodes.ChurnRisk, RedemptionDecision.Approve), (flag.Code, flag.OnRedemption));
    }

    [Fact]
    public void Touch_ThreePurchasesThen30SilentDays_RaisesNoChurnRisk()
    {
        var member = Member();
        for (var i = 0; i < 3; i++)
        {
            member.Buy($"p-{i}", 10_000, T0.AddDays(20 * i));
        }

        Assert.Empty(member.TouchAndDrain(T0.AddDays(40 + 31)));
    }

    [Fact]
    public void Touch_ChurnRiskAgainAfterANewSpell_RaisesItAgain()
    {
        var member = Member();
        for (var i = 0; i < 4; i++)
        {
            member.Buy($"p-{i}", 10_000, T0.AddDays(20 * i));
        }

        member.TouchAndDrain(Local(2025, 6, 8));
        member.Buy("p-4", 10_000, Local(2025, 6, 10)); // four purchases in the 90 days up to it again

        Assert.Single(member.TouchAndDrain(Local(2025, 7, 10)), e => e.Kind == EventKinds.ChurnRiskRaised);
    }

    [Fact]
    public void Touch_InTheBirthdayWeek_RaisesBirthdayWeekStartedOncePerYear()
    {
        // 20 March is a Thursday in 2025 (week from Monday 17) and a Friday in 2026 (week from Monday 16).
        var member = Member(birthday: new DateOnly(1990, 3, 20));
        var due = member.Account.NextDueAt(T0);

        Assert.Empty(member.TouchAndDrain(Local(2025, 3, 16, 23, 59)));
        var thisYear = Assert.Single(member.TouchAndDrain(Local(2025, 3, 17)));
        Assert.Empty(member.TouchAndDrain(Local(2025, 3, 19)));
        Assert.Empty(member.TouchAndDrain(Local(2026, 3, 15, 12)));
        var nextYear = Assert.Single(member.TouchAndDrain(Local(2026, 3, 18)));
        Assert.Empty(member.TouchAndDrain(Local(2026, 3, 22, 23, 59)));

        Assert.Equal(Local(2025, 3, 17), due);
        Assert.Equal((EventKinds.BirthdayWeekStarted, "2025-03-17"), (thisYear.Kind, thisYear.Data["week_start"]));
        Assert.Equal((EventKinds.BirthdayWeekStarted, "2026-03-16"), (nextYear.Kind, nextYear.Data["week_start"]));
    }

    [Fact]
    public void Events_OfABusyMember_HaveGapFreeSequenceNumbers()
    {
        var member = Member(birthday: new DateOnly(1990, 3, 20));
        member.Buy("p-1", 500_000, T0); // first purchase, cap flag
        member.Buy("p-2", 600_000, T0.AddDays(1)); // Gold
        member.Refund("f-1", "p-2", T0.AddDays(2)); // back to Silver
        member.TouchAndDrain(Local(2025, 3, 17)); // birthday week
        member.Account.RecordActivity(Activity("a-1", "check_in"), Local(2025, 3, 18));
        member.TouchAndDrain(Local(2026, 12, 2)); // points expiring soon, tier reviews

        Assert.True(member.Events.Count >= 8);
        Assert.Equal(Enumerable.Range(1, member.Events.Count).Select(i => (long)i), member.Events.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(1, member.Ledger.Count).Select(i => (long)i), member.Ledger.Select(r => r.Seq));
    }

    [Fact]
    public void Publish_Version2_NewLedgerRowsAndEventsCarryVersion2()
    {
        var catalog = Catalog();
        var member = Member(catalog, birthday: new DateOnly(1990, 3, 20));
        member.Buy("p-1", 10_000, T0);
        var (rowsBefore, eventsBefore) = (member.Ledger.Count, member.Events.Count);

        catalog.Publish(Default);
        member.Buy("p-2", 100_000, T0.AddDays(1)); // earn, tier_changed
        member.Account.RecordActivity(Activity("a-1", "check_in"), T0.AddDays(1));
        member.TouchAndDrain(Local(2025, 3, 17)); // birthday_week_started
        member.TouchAndDrain(Local(2026, 12, 2)); // points_expiring_soon
        member.TouchAndDrain(Local(2027, 1, 1)); // expire rows

        Assert.All(member.Ledger.Take(rowsBefore), r => Assert.Equal(1, r.ProgramVersion));
        Assert.All(member.Events.Take(eventsBefore), e => Assert.Equal(1, e.ProgramVersion));
        var rowsAfter = member.Ledger.Skip(rowsBefore).ToList();
        var eventsAfter = member.Events.Skip(eventsBefore).ToList();
        Assert.Equal([LedgerKind.Earn, LedgerKind.Activity], rowsAfter.Select(r => r.Kind).Distinct().Take(2));
        Assert.Contains(rowsAfter, r => r.Kind == LedgerKind.Expire);
        Assert.Equal(
            [EventKinds.TierChanged, EventKinds.BirthdayWeekStarted, EventKinds.PointsExpiringSoon],
            eventsAfter.Select(e => e.Kind).Where(k => k != EventKinds.RiskFlagRaised).Distinct());
        Assert.All(rowsAfter, r => Assert.Equal(2, r.ProgramVersion));
        Assert.All(eventsAfter, e => Assert.Equal(2, e.ProgramVersion));
    }
}
