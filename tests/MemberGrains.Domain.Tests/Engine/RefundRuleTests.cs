using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>Refunds under the default program: exact takebacks across brackets, spent points under both policies, older program versions, tiers.</summary>
public sealed class RefundRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Fact]
    public void Refund_PartialsAcrossThresholdAndBracketEdges_TakeBackExactlyWhatEachPartEarned()
    {
        var member = Member();
        member.Buy("p-1", 25_000, T0); // 3,050

        long[] takebacks =
        [
            member.Refund("f-1", "p-1", T0.AddDays(1), 5_000).Receipt.Points, // 250 → 200 CNY: 3,050 → 2,450
            member.Refund("f-2", "p-1", T0.AddDays(1), 1).Receipt.Points, // → 199.99: 2,399, the bonus goes
            member.Refund("f-3", "p-1", T0.AddDays(1), 10_000).Receipt.Points, // → 99.99: 999 at 10/CNY
            member.Refund("f-4", "p-1", T0.AddDays(1)).Receipt.Points, // the rest
        ];

        Assert.Equal([600L, 51, 1_400, 999], takebacks);
        Assert.Equal(3_050, takebacks.Sum());
        member.Drain();
        Assert.Equal(100, member.State.Balance);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Refund_OneFenOf500Point01Yuan_TakesBackTheWholeBracketDrop()
    {
        var member = Member();
        member.Buy("p-1", 50_001, T0); // 7,550

        var receipt = member.Refund("f-1", "p-1", T0.AddDays(1), 1).Receipt;

        Assert.Equal(1_500, receipt.Points); // 500.00 earns 6,050
    }

    [Fact]
    public void Refund_AfterTheFullRefund_IsRefusedAndTakesNothingMore()
    {
        var member = Member();
        member.Buy("p-1", 25_000, T0);
        member.Refund("f-1", "p-1", T0.AddDays(1), 12_345);
        member.Refund("f-2", "p-1", T0.AddDays(1));

        member.AssertRejected(ErrorKind.FailedPrecondition, "original_request_id", a => a.Refund(Cmd.Refund("f-3", "p-1", 1), T0.AddDays(2)));

        Assert.Equal(-3_050, member.Ledger.Where(r => r.Kind == LedgerKind.RefundClawback).Sum(r => r.Points));
    }

    [Fact]
    public void Refund_OfSpendAboveTheDailyCap_TakesBackNothingUntilItReachesTheEarningPart()
    {
        var member = Member();
        member.Buy("p-1", 600_000, T0); // only 5,000 CNY earned: 75,050

        var aboveCap = member.Refund("f-1", "p-1", T0.AddDays(1), 100_000).Receipt.Points;
        var intoEarning = member.Refund("f-2", "p-1", T0.AddDays(1), 100_000).Receipt.Points;

        Assert.Equal(0, aboveCap);
        Assert.Equal(15_000, intoEarning); // 5,000 → 4,000 CNY at 15/CNY
    }

    [Fact]
    public void Refund_OfSpentPointsUnderNegativeBalance_GoesNegativeAndLaterEarningsPayItOff()
    {
        var member = MemberWhoSpentEverything(Default);

        var refund = member.Refund("f-1", "p-1", T0.AddDays(2)).Receipt;
        member.Drain();
        Assert.Equal(-1_200, member.LedgerSum());
        var view = member.Account.View(T0.AddDays(2));
        var earn = member.Accrue("p-2", 20_000, T0.AddDays(3)).Receipt;
        var rows = member.Drain();

        Assert.Equal((1_200L, -1_200L), (refund.Points, refund.Balance));
        Assert.Equal((-1_200L, 1_200L, 0L), (view.Balance, view.Debt, view.Owed));
        Assert.Equal(1_250, earn.Balance); // 2,450 − 1,200
        var row = Assert.Single(rows);
        Assert.Equal((LedgerKind.Earn, 2_450L, 1_250L), (row.Kind, row.Points, row.BalanceAfter));
        Assert.Equal(0, member.State.Debt);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Refund_OfSpentPointsUnderClawbackWithDebt_StopsAtZeroAndTheNextEarningRecoversTheRest()
    {
        var member = MemberWhoSpentEverything(Default with { Refunds = new RefundRules(SpentPointsPolicy.ClawbackWithDebt) });

        var refund = member.Refund("f-1", "p-1", T0.AddDays(2)).Receipt;
        Assert.Empty(member.Drain());
        Assert.Equal(0, member.LedgerSum());
        var view = member.Account.View(T0.AddDays(2));
        member.Accrue("p-2", 20_000, T0.AddDays(3));
        var rows = member.Drain();

        Assert.Equal(0, refund.Balance);
        Assert.Equal((0L, 0L, 1_200L), (view.Balance, view.Debt, view.Owed));
        Assert.Equal([(LedgerKind.Earn, 2_450L, 2_450L), (LedgerKind.DebtRecovery, -1_200L, 1_250L)], rows.Select(r => (r.Kind, r.Points, r.BalanceAfter)));
        Assert.Equal(0, member.Account.View(T0.AddDays(3)).Owed);
        Assert.Equal(1_250, member.State.Balance);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Refund_OfPartlySpentPointsUnderClawbackWithDebt_TakesTheBalanceAndOwesTheRest()
    {
        var member = Member(program: Default with { Refunds = new RefundRules(SpentPointsPolicy.ClawbackWithDebt) });
        member.Buy("p-1", 10_000, T0);
        var hold = member.ReserveAmply("r-1", 800, T0.AddDays(1)).HoldId!;
        member.Account.Capture(Cmd.Capture("c-1", hold), T0.AddDays(1));

        member.Refund("f-1", "p-1", T0.AddDays(2));

        var row = Assert.Single(member.Drain(), r => r.Kind == LedgerKind.RefundClawback);
        Assert.Equal((-500L, 0L), (row.Points, row.BalanceAfter));
        Assert.Equal(700, member.Account.View(T0.AddDays(2)).Owed);
        Assert.Equal(member.State.Balance, member.LedgerSum());
    }

    [Fact]
    public void Refund_OfAPurchaseMadeUnderVersion1AfterVersion2_RecomputesWithVersion1()
    {
        var catalog = Catalog();
        var member = Member(catalog);
        member.Buy("p-1", 25_000, T0); // 3,050 under v1
        catalog.Publish(WithEarning(e => e with { Brackets = [.. e.Brackets.Select(b => b with { PointsPerUnit = b.PointsPerUnit * 2 })] }));

        var partialReceipt = member.Refund("f-1", "p-1", T0.AddDays(1), 5_000).Receipt;
        var partial = partialReceipt.Points;
        Assert.Equal(1, partialReceipt.ProgramVersion);
        Assert.Equal(1, Assert.Single(member.Drain(), r => r.Kind == LedgerKind.RefundClawback).ProgramVersion);
        var rest = member.Refund("f-2", "p-1", T0.AddDays(1)).Receipt.Points;
        var underV2 = member.Accrue("p-2", 25_000, T0.AddDays(1)).Receipt;

        Assert.Equal(600, partial); // v2 would say 1,200
        Assert.Equal(2_450, rest);
        Assert.Equal((6_050L, 2), (underV2.Points, underV2.ProgramVersion)); // v2 doubles new purchases only
    }

    [Fact]
    public void Refund_OfThePurchaseThatLiftedTheTier_TakesTheTierBack()
    {
        var member = Member();
        member.Buy("p-1", 100_000, T0);
        Assert.Equal(Tier.Silver, member.State.Tier);

        member.Refund("f-1", "p-1", T0.AddDays(1), 1);

        Assert.Equal(Tier.Regular, member.State.Tier);
        var change = member.EventsOf(EventKinds.TierChanged).Last();
        Assert.Equal(("Silver", "Regular", "refund"), (change["from"], change["to"], change["reason"]));
        Assert.Equal(Tier.Regular, member.Account.View(T0.AddDays(1)).Tier.Tier);
    }

    [Fact]
    public void Refund_LeavingEnoughQualifyingSpend_KeepsTheTier()
    {
        var member = Member();
        member.Buy("p-1", 100_000, T0);
        member.Buy("p-2", 20_000, T0.AddHours(1));

        member.Refund("f-1", "p-2", T0.AddDays(1), 10_000);
        member.Refund("f-2", "p-1", T0.AddDays(1), 10_000);

        Assert.Equal(Tier.Silver, member.State.Tier);
        Assert.Single(member.EventsOf(EventKinds.TierChanged));
    }

    /// <summary>Buys 100 CNY at T0 (1,300 with the enrolment points) and redeems all of it the next day.</summary>
    private static TestMember MemberWhoSpentEverything(LoyaltyProgram program)
    {
        var member = Member(program: program);
        member.Buy("p-1", 10_000, T0);
        var hold = member.ReserveAmply("r-1", 1_300, T0.AddDays(1)).HoldId!;
        member.Account.Capture(Cmd.Capture("c-1", hold), T0.AddDays(1));
        member.Drain();
        Assert.Equal(0, member.State.Balance);
        return member;
    }
}
