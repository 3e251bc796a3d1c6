using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>When points expire under each expiry mode, the race with a hold, and how members are told.</summary>
public sealed class ExpiryRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Theory]
    [InlineData(2025, 12, 31, 23, 59, 2027)] // last minute of 2025: cleared on 1 January 2027
    [InlineData(2026, 1, 1, 0, 0, 2028)] // first instant of 2026 in Shanghai (still 2025 in UTC): 1 January 2028
    public void Accrue_AroundNewYear_PointsExpireAtTheStartOfTheSecondYearAfter(int year, int month, int day, int hour, int minute, int expiryYear)
    {
        var member = Member(Local(2025, 12, 1));
        var earnedAt = Local(year, month, day, hour, minute);

        member.Buy("p-1", 10_000, earnedAt);

        var expiry = Local(expiryYear, 1, 1);
        Assert.Equal(expiry, member.State.Lots.Single(l => l.SourceRequestId == "p-1").ExpiresAt);
        Assert.Contains(member.Account.View(expiry.AddTicks(-1)).Lots, l => l.Remaining == 1_200);
        Assert.DoesNotContain(member.Account.View(expiry).Lots, l => l.Remaining == 1_200);
    }

    [Theory]
    [InlineData(2025, 3, 10, 2026, 3, 11)] // valid through the same day twelve months on
    [InlineData(2025, 1, 31, 2026, 2, 1)]
    [InlineData(2024, 2, 29, 2025, 3, 1)] // 29 February: through 28 February of the next year
    public void Accrue_RollingTwelveMonths_PointsExpireAfterTheDayTwelveMonthsOn(int year, int month, int day, int expiryYear, int expiryMonth, int expiryDay)
    {
        var earnedAt = Local(year, month, day, 10);
        var member = Member(earnedAt, Default with { Expiry = new ExpiryRules(ExpiryMode.RollingMonths, 12, 30) });

        member.Buy("p-1", 10_000, earnedAt);

        var expiry = Local(expiryYear, expiryMonth, expiryDay);
        Assert.Equal(expiry, member.State.Lots.Single(l => l.SourceRequestId == "p-1").ExpiresAt);
        Assert.Equal(1_300, member.Account.BalanceAt(expiry.AddTicks(-1)));
        Assert.Equal(0, member.Account.BalanceAt(expiry));
    }

    [Fact]
    public void Touch_NeverExpiringPointsDecadesLater_KeepsThemAndSchedulesNothing()
    {
        var member = Member(program: Default with { Expiry = new ExpiryRules(ExpiryMode.Never, 0, 30) });
        member.Buy("p-1", 10_000, T0);
        var later = Local(2060, 1, 1);

        member.Account.Touch(later);

        Assert.Empty(member.Drain());
        Assert.Equal(1_300, member.Account.BalanceAt(later));
        Assert.Equal(new ExpiringPoints(0, null), member.Account.View(later).ExpiringSoon);
        Assert.All(member.State.Lots, l => Assert.Equal(DateTimeOffset.MaxValue, l.ExpiresAt));
        Assert.Null(member.Account.NextDueAt(T0));
    }

    [Fact]
    public void Capture_HoldReservedBeforeThePointsExpiredCapturedAfter_IsRefusedAndChangesNothing()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0); // 100 + 1,200 earned in 2025: expire on 1 January 2027
        member.Buy("p-2", 1_000, Local(2026, 6, 1)); // 100 earned in 2026
        var hold = member.Account.Reserve(Reserve("r-1", 1_300, 10_000, TimeSpan.FromHours(1)), Local(2026, 12, 31, 23, 30)).Receipt.HoldId!;

        var error = member.AssertRejected(ErrorKind.FailedPrecondition, "points", a => a.Capture(Cmd.Capture("c-1", hold), Local(2027, 1, 1, 0, 10)));

        Assert.Contains("after expiry", error.Message, StringComparison.Ordinal);
        Assert.Equal(1_400, member.State.Balance);
    }

    [Fact]
    public void Accrue_AfterARefusedCaptureOfExpiredPoints_WritesTheExpireRowsFirst()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);
        member.Buy("p-2", 1_000, Local(2026, 6, 1));
        var hold = member.Account.Reserve(Reserve("r-1", 1_300, 10_000, TimeSpan.FromHours(1)), Local(2026, 12, 31, 23, 30)).Receipt.HoldId!;
        Assert.Throws<DomainException>(() => member.Account.Capture(Cmd.Capture("c-1", hold), Local(2027, 1, 1, 0, 10)));

        var receipt = member.Accrue("p-3", 1_000, Local(2027, 1, 1, 0, 20)).Receipt;

        var rows = member.Drain();
        Assert.Equal([LedgerKind.Expire, LedgerKind.Expire, LedgerKind.Earn], rows.Select(r => r.Kind));
        Assert.Equal(-1_300, rows.Where(r => r.Kind == LedgerKind.Expire).Sum(r => r.Points));
        Assert.All(rows, r => Assert.Equal("p-3", r.RequestId));
        Assert.Equal(200, receipt.Balance);
        Assert.Equal(receipt.Balance, member.LedgerSum());
    }

    [Fact]
    public void View_ThirtyDaysBeforeExpiry_ShowsThePointsExpiringSoon()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);
        var expiry = Local(2027, 1, 1);

        Assert.Equal(new ExpiringPoints(0, null), member.Account.View(Local(2026, 12, 1, 23, 59, 59)).ExpiringSoon);
        Assert.Equal(new ExpiringPoints(1_300, expiry), member.Account.View(Local(2026, 12, 2)).ExpiringSoon);
    }

    [Fact]
    public void Touch_InTheExpiringSoonWindow_RaisesTheNoticeOncePerExpiryDate()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);
        member.Buy("p-2", 1_000, Local(2026, 6, 1));

        Assert.Empty(member.TouchAndDrain(Local(2026, 12, 1, 23, 59)));
        var first = Assert.Single(member.TouchAndDrain(Local(2026, 12, 2)));
        Assert.Empty(member.TouchAndDrain(Local(2026, 12, 20)));
        Assert.DoesNotContain(member.TouchAndDrain(Local(2027, 1, 1, 8)), e => e.Kind == EventKinds.PointsExpiringSoon);
        var second = Assert.Single(member.TouchAndDrain(Local(2027, 12, 2)));

        Assert.Equal((EventKinds.PointsExpiringSoon, "1300", Iso(Local(2027, 1, 1))), (first.Kind, first.Data["points"], first.Data["expires_at"]));
        Assert.Equal((EventKinds.PointsExpiringSoon, "100", Iso(Local(2028, 1, 1))), (second.Kind, second.Data["points"], second.Data["expires_at"]));
    }

    [Fact]
    public void NextDueAt_WithExpiringPoints_IsTheNoticeThenTheExpiry()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);

        var notice = member.Account.NextDueAt(T0.AddMinutes(1));
        member.TouchAndDrain(notice!.Value);
        var expiry = member.Account.NextDueAt(notice.Value);
        member.TouchAndDrain(expiry!.Value);

        Assert.Equal(Local(2026, 12, 2), notice);
        Assert.Equal(Local(2027, 1, 1), expiry);
        Assert.Equal(-1_300, member.Ledger.Where(r => r.Kind == LedgerKind.Expire).Sum(r => r.Points));
        Assert.Null(member.Account.NextDueAt(expiry.Value));
    }
}
