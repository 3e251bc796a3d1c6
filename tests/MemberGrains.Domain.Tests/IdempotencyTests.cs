namespace MemberGrains.Domain.Tests;

public class IdempotencyTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>Asserts a retry answered from memory: the first receipt, state and ledger untouched.</summary>
    private static void AssertReplay(TestMember member, Receipt first, Func<MemberAccount, Outcome> retry)
    {
        member.Drain();
        var before = member.Snapshot();

        var outcome = retry(member.Account);

        Assert.True(outcome.Replayed);
        Assert.Equal(first, outcome.Receipt);
        Assert.Equal(before, member.Snapshot());
        Assert.Empty(member.Account.DrainLedger());
    }

    [Fact]
    public void Accrue_RetriedAfterOtherOperations_ReplaysFirstReceipt()
    {
        var member = TestMember.Enroll(T0);
        var first = member.Accrue("p-1", 10_000, T0).Receipt;
        member.Accrue("p-2", 5_000, T0.AddMinutes(1));
        member.Reserve("r-1", 30, T0.AddMinutes(2));

        AssertReplay(member, first, a => a.Accrue(Cmd.Purchase("p-1", 10_000), T0.AddMinutes(3)));
        Assert.Equal(250, member.State.Balance);
        Assert.Equal(2, member.State.PurchaseCount);
        Assert.Equal(15_000, member.State.LifetimeSpendFen);
    }

    [Fact]
    public void Reserve_Retried_ReplaysSameHoldWithoutHoldingTwice()
    {
        var member = TestMember.Enroll(T0);
        var first = member.Reserve("r-1", 60, T0).Receipt;

        AssertReplay(member, first, a => a.Reserve(Cmd.Reserve("r-1", 60), T0.AddMinutes(1)));
        Assert.Single(member.State.Holds);
        Assert.Equal(60, member.Account.HeldAt(T0.AddMinutes(1)));
    }

    [Fact]
    public void Reserve_RetriedAfterPointsWereSpent_StillReplays()
    {
        var member = TestMember.Enroll(T0);
        var first = member.Reserve("r-1", 100, T0).Receipt;
        member.Capture("c-1", first.HoldId!, T0.AddMinutes(1));

        AssertReplay(member, first, a => a.Reserve(Cmd.Reserve("r-1", 100), T0.AddMinutes(2)));
    }

    [Fact]
    public void Capture_Retried_ReplaysWithoutRedeemingTwice()
    {
        var member = TestMember.Enroll(T0);
        var hold = member.Reserve("r-1", 60, T0).Receipt.HoldId!;
        var first = member.Capture("c-1", hold, T0.AddMinutes(1)).Receipt;

        AssertReplay(member, first, a => a.Capture(Cmd.Capture("c-1", hold), T0.AddMinutes(2)));
        Assert.Equal(40, member.State.Balance);
    }

    [Fact]
    public void Release_Retried_ReplaysFirstReceiptWithReleasedPoints()
    {
        var member = TestMember.Enroll(T0);
        var hold = member.Reserve("r-1", 60, T0).Receipt.HoldId!;
        var first = member.Release("x-1", hold, T0.AddMinutes(1)).Receipt;
        Assert.Equal(60, first.Points);

        AssertReplay(member, first, a => a.Release(Cmd.Release("x-1", hold), T0.AddMinutes(2)));
    }

    [Fact]
    public void Refund_Retried_ReplaysWithoutTakingBackTwice()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 25_050, T0);
        var first = member.Refund("f-1", "p-1", T0.AddDays(1), 10_060).Receipt;

        AssertReplay(member, first, a => a.Refund(Cmd.Refund("f-1", "p-1", 10_060), T0.AddDays(2)));
        Assert.Equal(249, member.State.Balance);
        Assert.Equal(14_990, member.State.LifetimeSpendFen);
    }

    [Fact]
    public void ReplayEnroll_SameCommand_ReturnsFirstReceipt()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0.AddMinutes(1));
        var before = member.Snapshot();

        var receipt = member.Account.ReplayEnroll(Cmd.Enroll(), T0.AddMinutes(2));

        Assert.Equal(member.EnrollReceipt, receipt);
        Assert.Equal(before, member.Snapshot());
    }

    [Fact]
    public void ReplayEnroll_OtherRequestId_AlreadyExistsOnMemberId()
    {
        var member = TestMember.Enroll(T0);

        member.AssertRejected(ErrorKind.AlreadyExists, "member_id", a => a.ReplayEnroll(Cmd.Enroll(requestId: "enroll-2"), T0.AddMinutes(1)));
    }

    [Fact]
    public void ReplayEnroll_SameRequestIdOtherPayload_AlreadyExistsOnRequestId()
    {
        var member = TestMember.Enroll(T0);

        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => a.ReplayEnroll(Cmd.Enroll(birthday: new DateOnly(1990, 5, 1)), T0.AddMinutes(1)));
    }

    private static readonly string H1 = MemberAccount.HoldId("m-1", 1);
    private static readonly string H2 = MemberAccount.HoldId("m-1", 2);

    private static readonly Dictionary<string, Action<MemberAccount, DateTimeOffset>> Conflicts = new()
    {
        ["accrue id, other total"] = (a, now) => a.Accrue(Cmd.Purchase("p-1", 10_001), now),
        ["accrue id, other store"] = (a, now) => a.Accrue(Cmd.Purchase("p-1", 10_000) with { StoreId = "S-002" }, now),
        ["accrue id, other line"] = (a, now) => a.Accrue(Cmd.Purchase("p-1", 10_000, new PurchaseLine("SKU-2", "food", 1, 10_000)), now),
        ["accrue id, reserve"] = (a, now) => a.Reserve(Cmd.Reserve("p-1", 10), now),
        ["accrue id, capture"] = (a, now) => a.Capture(Cmd.Capture("p-1", H2), now),
        ["accrue id, release"] = (a, now) => a.Release(Cmd.Release("p-1", H2), now),
        ["accrue id, refund"] = (a, now) => a.Refund(Cmd.Refund("p-1", "p-1"), now),
        ["reserve id, other points"] = (a, now) => a.Reserve(Cmd.Reserve("r-1", 11), now),
        ["reserve id, other ttl"] = (a, now) => a.Reserve(Cmd.Reserve("r-1", 10, TimeSpan.FromMinutes(5)), now),
        ["reserve id, accrue"] = (a, now) => a.Accrue(Cmd.Purchase("r-1", 10_000), now),
        ["reserve id, release"] = (a, now) => a.Release(Cmd.Release("r-1", H2), now),
        ["capture id, other points"] = (a, now) => a.Capture(Cmd.Capture("c-1", H1, 5), now),
        ["capture id, other hold"] = (a, now) => a.Capture(Cmd.Capture("c-1", H2), now),
        ["capture id, accrue"] = (a, now) => a.Accrue(Cmd.Purchase("c-1", 10_000), now),
        ["release id, other hold"] = (a, now) => a.Release(Cmd.Release("x-1", H1), now),
        ["release id, reserve"] = (a, now) => a.Reserve(Cmd.Reserve("x-1", 10), now),
        ["refund id, other amount"] = (a, now) => a.Refund(Cmd.Refund("f-1", "p-1", 1_001), now),
        ["refund id, everything"] = (a, now) => a.Refund(Cmd.Refund("f-1", "p-1"), now),
        ["refund id, accrue"] = (a, now) => a.Accrue(Cmd.Purchase("f-1", 1_000), now),
        ["enrol id, accrue"] = (a, now) => a.Accrue(Cmd.Purchase("enroll-1", 1_000), now),
        ["enrol id, reserve"] = (a, now) => a.Reserve(Cmd.Reserve("enroll-1", 10), now),
    };

    public static TheoryData<string> ConflictNames => [.. Conflicts.Keys];

    [Theory]
    [MemberData(nameof(ConflictNames))]
    public void AnyOperation_RequestIdReusedWithOtherPayload_AlreadyExistsOnRequestId(string conflict)
    {
        // Every kind of request id in use: p-1 accrue, r-1 reserve (H1), c-1 capture of H1, r-2 reserve (H2), x-1 release of H2, f-1 refund.
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        var h1 = member.Reserve("r-1", 10, T0.AddMinutes(1)).Receipt.HoldId!;
        member.Capture("c-1", h1, T0.AddMinutes(2));
        var h2 = member.Reserve("r-2", 10, T0.AddMinutes(3)).Receipt.HoldId!;
        member.Release("x-1", h2, T0.AddMinutes(4));
        member.Refund("f-1", "p-1", T0.AddMinutes(5), 1_000);
        Assert.Equal((H1, H2), (h1, h2));

        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => Conflicts[conflict](a, T0.AddMinutes(6)));
    }

    [Fact]
    public void Reserve_IdReusedAfterRetentionAndAnotherMutation_IsANewRequest()
    {
        var member = TestMember.Enroll(T0);
        var first = member.Reserve("r-1", 10, T0).Receipt;
        var later = T0 + AccountLimits.Default.RequestRetention;
        member.Accrue("p-1", 1_000, later);

        var outcome = member.Reserve("r-1", 10, later);

        Assert.False(outcome.Replayed);
        Assert.NotEqual(first.HoldId, outcome.Receipt.HoldId);
        Assert.Equal(10, member.Account.HeldAt(later));
    }

    [Fact]
    public void Reserve_IdReusedJustBeforeRetentionEnds_IsStillRemembered()
    {
        var member = TestMember.Enroll(T0);
        var first = member.Reserve("r-1", 10, T0).Receipt;
        var almost = T0 + AccountLimits.Default.RequestRetention - TimeSpan.FromTicks(1);
        member.Accrue("p-1", 1_000, almost);

        AssertReplay(member, first, a => a.Reserve(Cmd.Reserve("r-1", 10), almost));
        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => a.Reserve(Cmd.Reserve("r-1", 20), almost));
    }

    [Fact]
    public void Reserve_IdReusedAfterRetentionWithNothingInBetween_IsANewRequest()
    {
        var member = TestMember.Enroll(T0);
        member.Reserve("r-1", 10, T0);
        var later = T0 + AccountLimits.Default.RequestRetention;

        var outcome = member.Reserve("r-1", 20, later);

        Assert.False(outcome.Replayed);
        Assert.Equal(20, outcome.Receipt.Points);
    }

    [Fact]
    public void Reserve_MoreRequestsThanRemembered_ForgetsTheOldestFirst()
    {
        var limits = AccountLimits.Default with { MaxRememberedRequests = 3 };
        var member = TestMember.Enroll(T0, limits); // "enroll-1" remembered
        var r1 = member.Reserve("r-1", 1, T0.AddMinutes(1)).Receipt;
        var r2 = member.Reserve("r-2", 1, T0.AddMinutes(2)).Receipt;
        var r3 = member.Reserve("r-3", 1, T0.AddMinutes(3)).Receipt;
        Assert.Equal(["r-1", "r-2", "r-3"], member.State.Requests.Keys.Order());

        var r4 = member.Reserve("r-4", 1, T0.AddMinutes(4)).Receipt;
        Assert.Equal(["r-2", "r-3", "r-4"], member.State.Requests.Keys.Order());

        AssertReplay(member, r2, a => a.Reserve(Cmd.Reserve("r-2", 1), T0.AddMinutes(5)));
        AssertReplay(member, r4, a => a.Reserve(Cmd.Reserve("r-4", 1), T0.AddMinutes(5)));
        var again = member.Reserve("r-1", 2, T0.AddMinutes(5));
        Assert.False(again.Replayed);
        Assert.NotEqual(r1.HoldId, again.Receipt.HoldId);
        Assert.NotEqual(r3.HoldId, again.Receipt.HoldId);
        Assert.Equal(3, member.State.Requests.Count);
    }

    [Fact]
    public void Reserve_MoreRequestsThanRememberedAtTheSameInstant_ForgetsTheOldestFirst()
    {
        // Same timestamps, and a removal that leaves a hole the dictionary refills out of order.
        var limits = AccountLimits.Default with { MaxRememberedRequests = 3 };
        var member = TestMember.Enroll(T0, limits);
        var at = T0.AddMinutes(1);
        foreach (var id in new[] { "r-1", "r-2", "r-3", "r-4", "r-5" })
        {
            member.Reserve(id, 1, at);
        }

        Assert.Equal(["r-3", "r-4", "r-5"], member.State.Requests.Keys.Order());
    }

    [Fact]
    public void Accrue_RetriedAfterRequestRetention_StillReplaysWithinPurchaseRetention()
    {
        var member = TestMember.Enroll(T0);
        var first = member.Accrue("p-1", 10_000, T0).Receipt;
        var weekLater = T0.AddDays(8);
        member.Reserve("r-1", 1, weekLater); // sweeps the request table

        AssertReplay(member, first, a => a.Accrue(Cmd.Purchase("p-1", 10_000), weekLater));
        member.AssertRejected(ErrorKind.AlreadyExists, "request_id", a => a.Accrue(Cmd.Purchase("p-1", 10_100), weekLater));
    }

    [Fact]
    public void Accrue_ManyRequestsWithSmallMemory_PurchasesAreNotForgotten()
    {
        var member = TestMember.Enroll(T0, AccountLimits.Default with { MaxRememberedRequests = 2 });
        var first = member.Accrue("p-1", 10_000, T0).Receipt;
        for (var i = 1; i <= 5; i++)
        {
            member.Reserve($"r-{i}", 1, T0.AddMinutes(i));
        }

        AssertReplay(member, first, a => a.Accrue(Cmd.Purchase("p-1", 10_000), T0.AddMinutes(10)));
        Assert.Equal(100, member.Refund("f-1", "p-1", T0.AddMinutes(11)).Receipt.Points);
    }

    [Fact]
    public void Refund_JustBeforePurchaseRetentionEnds_Accepted()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        var almost = T0 + AccountLimits.Default.PurchaseRetention - TimeSpan.FromTicks(1);
        member.Reserve("r-1", 1, almost);

        Assert.Equal(100, member.Refund("f-1", "p-1", almost).Receipt.Points);
    }

    [Fact]
    public void Refund_AfterPurchaseRetentionAndAnotherMutation_IsNotFound()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        var later = T0 + AccountLimits.Default.PurchaseRetention;
        member.Reserve("r-1", 1, later);

        member.AssertRejected(ErrorKind.NotFound, "original_request_id", a => a.Refund(Cmd.Refund("f-1", "p-1"), later));
    }

    [Fact]
    public void Refund_AfterPurchaseRetentionWithNothingInBetween_IsNotFound()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);

        member.AssertRejected(ErrorKind.NotFound, "original_request_id", a => a.Refund(Cmd.Refund("f-1", "p-1"), T0 + AccountLimits.Default.PurchaseRetention));
    }

    [Fact]
    public void Accrue_IdReusedAfterPurchaseRetention_IsANewPurchase()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        var later = T0 + AccountLimits.Default.PurchaseRetention;

        var outcome = member.Accrue("p-1", 10_000, later);

        Assert.False(outcome.Replayed);
        Assert.Equal(300, outcome.Receipt.Balance);
        Assert.Equal(2, member.State.PurchaseCount);
    }
}
