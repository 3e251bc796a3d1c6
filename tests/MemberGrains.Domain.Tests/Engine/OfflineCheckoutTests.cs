using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>
/// A till that lost its network queues checkouts and sends them later, each with the time it
/// happened (occurred_at): every time-based rule applies at that time, not at the server's.
/// </summary>
public sealed class OfflineCheckoutTests
{
    [Fact]
    public void Accrue_SentAfterMidnightForTheDayBefore_CountsAgainstThatDaysCap()
    {
        var member = Member(Local(2025, 3, 1));
        member.Accrue("p-1", 450_000, Local(2025, 3, 10, 20));
        var lateNight = Local(2025, 3, 10, 23, 50);
        var sentAt = Local(2025, 3, 11, 0, 30);

        // 500 CNY bought at 23:50 on the 10th, sent at 00:30 on the 11th: only 50 CNY of room left that day.
        var queued = member.Account.Accrue(Purchase("p-2", 50_000) with { OccurredAt = lateNight }, sentAt).Receipt;
        var today = member.Account.Accrue(Purchase("p-3", 50_000), sentAt.AddMinutes(1)).Receipt;

        Assert.Equal(50_000, queued.Earning!.EligibleFen);
        Assert.True(queued.Earning.CapReached);
        Assert.Equal(lateNight, queued.OccurredAt);
        Assert.Equal(sentAt, queued.At);
        Assert.Equal(50_000, today.Earning!.EligibleFen);
        Assert.False(today.Earning.CapReached);
    }

    [Fact]
    public void Accrue_QueuedPurchaseForADayAlreadyAtItsCap_EarnsNothingThatDay()
    {
        var member = Member(Local(2025, 3, 1));
        member.Accrue("p-1", 500_000, Local(2025, 3, 10, 12));
        member.Accrue("p-2", 10_000, Local(2025, 3, 11, 9));

        var late = member.Account.Accrue(Purchase("p-3", 10_000) with { OccurredAt = Local(2025, 3, 10, 18) }, Local(2025, 3, 11, 10)).Receipt;

        Assert.Equal(0, late.Earning!.EligibleFen);
        Assert.Equal(0, late.Points);
    }

    [Fact]
    public void Accrue_LastDayOfTheBirthdayMonthSentTheNextMonth_StillDoubled()
    {
        var member = Member(Local(2025, 3, 1), birthday: new DateOnly(1990, 3, 17));
        var inMarch = Local(2025, 3, 31, 23, 40);

        var receipt = member.Account.Accrue(Purchase("p-1", 10_000) with { OccurredAt = inMarch }, Local(2025, 4, 1, 0, 20)).Receipt;

        Assert.Equal(2m, receipt.Earning!.BirthdayMultiplier);
    }

    [Fact]
    public void Accrue_BoughtOnNewYearsEveSentOnNewYearsDay_ExpiresWithTheOldYearsPoints()
    {
        var member = Member(Local(2025, 3, 1));
        var eve = Local(2025, 12, 31, 23, 30);

        member.Account.Accrue(Purchase("p-1", 10_000) with { OccurredAt = eve }, Local(2026, 1, 1, 0, 15));

        var lot = member.Account.View(Local(2026, 1, 1, 1)).Lots.Single(l => l.EarnedAt == eve);
        Assert.Equal(Local(2027, 1, 1), lot.ExpiresAt);
        var ledger = member.Drain().Single(r => r.RequestId == "p-1");
        Assert.Equal(eve, ledger.At);
    }

    [Fact]
    public void Accrue_OlderThanTheProgramAllows_InvalidOccurredAt()
    {
        var member = Member(Local(2025, 3, 1));
        var now = Local(2025, 3, 10, 12);

        member.AssertRejected(ErrorKind.InvalidArgument, "occurred_at", a => a.Accrue(Purchase("p-1", 10_000) with { OccurredAt = now.AddHours(-73) }, now));
        member.AssertRejected(ErrorKind.InvalidArgument, "occurred_at", a => a.Accrue(Purchase("p-1", 10_000) with { OccurredAt = now.AddMinutes(6) }, now));
    }

    [Fact]
    public void Accrue_TillClockAFewMinutesAhead_AppliedAsNow()
    {
        var member = Member(Local(2025, 3, 1));
        var now = Local(2025, 3, 10, 12);

        var receipt = member.Account.Accrue(Purchase("p-1", 10_000) with { OccurredAt = now.AddMinutes(4) }, now).Receipt;

        Assert.Equal(now.AddMinutes(4), receipt.OccurredAt);
        Assert.Equal(0, member.Account.PendingAt(now));
        Assert.Equal(member.Account.BalanceAt(now), member.Account.AvailableAt(now));
    }

    [Fact]
    public void Accrue_RetriedWithAnotherOccurredAt_AlreadyExists()
    {
        var member = Member(Local(2025, 3, 1));
        var now = Local(2025, 3, 10, 12);
        member.Account.Accrue(Purchase("p-1", 10_000) with { OccurredAt = now.AddHours(-1) }, now);

        var replay = member.Account.Accrue(Purchase("p-1", 10_000) with { OccurredAt = now.AddHours(-1) }, now.AddMinutes(5));

        Assert.True(replay.Replayed);
        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => a.Accrue(Purchase("p-1", 10_000) with { OccurredAt = now.AddHours(-2) }, now.AddMinutes(6)));
    }

    [Fact]
    public void Refund_DatedBeforeThePurchase_InvalidOccurredAt()
    {
        var member = Member(Local(2025, 3, 1));
        var now = Local(2025, 3, 10, 12);
        member.Accrue("p-1", 10_000, now);

        member.AssertRejected(ErrorKind.InvalidArgument, "occurred_at", a => a.Refund(Cmd.Refund("f-1", "p-1") with { OccurredAt = now.AddMinutes(-1) }, now.AddMinutes(5)));
        var refund = member.Account.Refund(Cmd.Refund("f-2", "p-1") with { OccurredAt = now.AddMinutes(2) }, now.AddMinutes(5)).Receipt;

        Assert.Equal(now.AddMinutes(2), refund.OccurredAt);
        Assert.Equal(now.AddMinutes(2), member.Drain().Single(r => r.RequestId == "f-2").At);
    }

    [Fact]
    public void RecordActivity_CheckInSentLateForYesterday_CountsOnYesterdayOnce()
    {
        var member = Member(Local(2025, 3, 1));
        var today = Local(2025, 3, 11, 9);
        var yesterday = Local(2025, 3, 10, 18);
        member.Account.RecordActivity(Activity("c-today", "check_in"), today);

        var late = member.Account.RecordActivity(Activity("c-late", "check_in") with { OccurredAt = yesterday }, today.AddMinutes(1)).Receipt;

        Assert.Equal(5, late.Points);
        member.AssertRejected(ErrorKind.FailedPrecondition, "kind", a => a.RecordActivity(Activity("c-late-2", "check_in") with { OccurredAt = yesterday.AddHours(1) }, today.AddMinutes(2)));
        member.AssertRejected(ErrorKind.FailedPrecondition, "kind", a => a.RecordActivity(Activity("c-today-2", "check_in"), today.AddMinutes(3)));
    }
}
