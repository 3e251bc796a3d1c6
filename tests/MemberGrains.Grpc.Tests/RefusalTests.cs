using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;

namespace MemberGrains.Grpc.Tests;

/// <summary>Well-formed requests the member's state refuses: NOT_FOUND / FAILED_PRECONDITION naming the field, and nothing changes.</summary>
[Collection(GrpcCollection.Name)]
public sealed class RefusalTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    [Theory]
    [InlineData("GetMember")]
    [InlineData("Accrue")]
    [InlineData("ReserveRedemption")]
    [InlineData("CaptureRedemption")]
    [InlineData("ReleaseRedemption")]
    [InlineData("Refund")]
    public async Task AnyRpc_UnknownMember_NotFoundMemberId(string rpc)
    {
        var memberId = NewMemberId();

        await AssertRefusedAsync(() => CallAsync(rpc, memberId), StatusCode.NotFound, "member_id");

        Assert.Null(await Db.MemberRowAsync(memberId));
        Assert.Equal(0, await Db.LedgerCountAsync(memberId));
    }

    [Fact]
    public async Task EnrollMember_AfterNotFound_Enrols()
    {
        // A lookup of an unknown member must not leave anything behind that blocks its enrolment.
        var memberId = NewMemberId();
        await AssertRefusedAsync(() => CallAsync("Accrue", memberId), StatusCode.NotFound, "member_id");

        var response = await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);

        Assert.Equal(100, response.Receipt.Balance);
    }

    [Theory]
    [InlineData("CaptureRedemption")]
    [InlineData("ReleaseRedemption")]
    public async Task HoldRpc_UnknownHold_NotFoundHoldId(string rpc)
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 10);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync(rpc, memberId, holdId: hold.HoldId + "0"), StatusCode.NotFound, "hold_id");
    }

    [Fact]
    public async Task CaptureRedemption_HoldOfAnotherMember_NotFoundHoldId()
    {
        var owner = await EnrolledAsync();
        var hold = await ReserveAsync(owner, 10);
        var other = await EnrolledAsync();

        await AssertRefusedUnchangedAsync(other, () => CallAsync("CaptureRedemption", other, holdId: hold.HoldId), StatusCode.NotFound, "hold_id");
        Assert.Equal(10, (await GetAsync(owner)).Held);
    }

    [Fact]
    public async Task Refund_UnknownOriginalPurchase_NotFoundOriginalRequestId()
    {
        var memberId = await EnrolledAsync(25_000);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("Refund", memberId, originalRequestId: NewRequestId("nope")), StatusCode.NotFound, "original_request_id");
    }

    [Fact]
    public async Task Refund_OriginalIsEnrolmentNotPurchase_NotFoundOriginalRequestId()
    {
        var memberId = NewMemberId();
        var enrolment = NewRequestId("enroll");
        await Pos.EnrollMemberAsync(Enroll(memberId, enrolment), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("Refund", memberId, originalRequestId: enrolment), StatusCode.NotFound, "original_request_id");
    }

    [Fact]
    public async Task Refund_PurchaseOfAnotherMember_NotFoundOriginalRequestId()
    {
        var buyer = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(buyer, purchase, 25_000), cancellationToken: Ct);
        var other = await EnrolledAsync(25_000);

        await AssertRefusedUnchangedAsync(other, () => CallAsync("Refund", other, originalRequestId: purchase), StatusCode.NotFound, "original_request_id");
    }

    [Fact]
    public async Task ReserveRedemption_MoreThanBalance_FailedPreconditionPoints()
    {
        var memberId = await EnrolledAsync();

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.ReserveRedemptionAsync(Reserve(memberId, NewRequestId("reserve"), 101), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "points");
    }

    [Fact]
    public async Task ReserveRedemption_MoreThanAvailableBesideOpenHold_FailedPreconditionPoints()
    {
        var memberId = await EnrolledAsync();
        await ReserveAsync(memberId, 60);

        var e = await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.ReserveRedemptionAsync(Reserve(memberId, NewRequestId("reserve"), 41), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "points");

        Assert.Contains("40 available", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, (await ReserveAsync(memberId, 40)).Receipt.Available);
    }

    [Fact]
    public async Task CaptureRedemption_ReleasedHold_FailedPreconditionHoldId()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 50);
        await Pos.ReleaseRedemptionAsync(Release(memberId, NewRequestId("release"), hold.HoldId), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("CaptureRedemption", memberId, holdId: hold.HoldId), StatusCode.FailedPrecondition, "hold_id");
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task CaptureRedemption_ExpiredHold_FailedPreconditionHoldId()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 50);
        Assert.Equal(50, (await GetAsync(memberId)).Held);

        Fixture.Time.Advance(TimeSpan.FromMinutes(10));

        // The hold lapsed by itself: its points are available again without any call.
        var lapsed = await GetAsync(memberId);
        Assert.Equal(0, lapsed.Held);
        Assert.Equal(100, lapsed.Available);
        Assert.Empty(lapsed.Holds);
        var e = await AssertRefusedUnchangedAsync(memberId, () => CallAsync("CaptureRedemption", memberId, holdId: hold.HoldId), StatusCode.FailedPrecondition, "hold_id");
        Assert.Contains("expired", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task CaptureRedemption_ExpiredCustomHold_FailedPreconditionThenReleaseGivesZero()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 50, holdSeconds: 30);
        Fixture.Time.Advance(TimeSpan.FromSeconds(31));

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("CaptureRedemption", memberId, holdId: hold.HoldId), StatusCode.FailedPrecondition, "hold_id");

        var released = await Pos.ReleaseRedemptionAsync(Release(memberId, NewRequestId("release"), hold.HoldId), cancellationToken: Ct);
        Assert.Equal(0, released.Receipt.Points);
        Assert.Equal(100, released.Receipt.Available);
    }

    [Fact]
    public async Task CaptureRedemption_CapturedHoldWithNewRequestId_FailedPreconditionHoldId()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 50);
        await Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("CaptureRedemption", memberId, holdId: hold.HoldId), StatusCode.FailedPrecondition, "hold_id");
        Assert.Equal(50, (await GetAsync(memberId)).Balance);
    }

    [Fact]
    public async Task ReleaseRedemption_CapturedHold_FailedPreconditionHoldId()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 50);
        await Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("ReleaseRedemption", memberId, holdId: hold.HoldId), StatusCode.FailedPrecondition, "hold_id");
    }

    [Fact]
    public async Task Refund_MoreThanPurchase_FailedPreconditionAmountFen()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase, 25_001), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "amount_fen");
    }

    [Fact]
    public async Task Refund_MoreThanRemainsAfterPartialRefund_FailedPreconditionAmountFen()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);
        await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase, 10_000), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase, 15_001), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "amount_fen");
    }

    [Fact]
    public async Task Refund_FullyRefundedPurchase_FailedPreconditionOriginalRequestId()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);
        await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "original_request_id");
    }
}
