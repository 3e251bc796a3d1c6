using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>A till retrying a request id gets the first answer back, marked replayed, and nothing changes twice.</summary>
[Collection(GrpcCollection.Name)]
public sealed class IdempotencyTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    [Fact]
    public async Task EnrollMember_RetriedRequestId_ReplaysFirstReceipt()
    {
        var memberId = NewMemberId();
        var request = Enroll(memberId);
        request.Birthday = "1985-07-14";
        var first = await Pos.EnrollMemberAsync(request, cancellationToken: Ct);
        Fixture.Time.Advance(TimeSpan.FromSeconds(5));

        var second = await Pos.EnrollMemberAsync(request, cancellationToken: Ct);

        AssertReplayOf(first.Receipt, second.Receipt);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, request.RequestId));
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Accrue_RetriedRequestId_ReplaysFirstReceiptAndBooksOnce()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 12_345);
        var first = await Pos.AccrueAsync(request, cancellationToken: Ct);
        Fixture.Time.Advance(TimeSpan.FromSeconds(5));

        var second = await Pos.AccrueAsync(request, cancellationToken: Ct);

        AssertReplayOf(first.Receipt, second.Receipt);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, request.RequestId));
        Assert.Equal(223, await Db.LedgerSumAsync(memberId));
        Assert.Equal(223, (await GetAsync(memberId)).Balance);
        Assert.Equal(1, (await GetAsync(memberId)).PurchaseCount);
    }

    [Fact]
    public async Task Accrue_SameRequestSentConcurrently_BookedOnceOthersReplayed()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 12_345);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Pos.AccrueAsync(request, cancellationToken: Ct).ResponseAsync));

        Assert.Single(responses, r => !r.Receipt.Replayed);
        Assert.All(responses, r => Assert.Equal(223, r.Receipt.Balance));
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, request.RequestId));
        Assert.Equal(223, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task ReserveRedemption_SameRequestSentConcurrently_OneHold()
    {
        var memberId = await EnrolledAsync();
        var request = Reserve(memberId, NewRequestId("reserve"), 70);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Pos.ReserveRedemptionAsync(request, cancellationToken: Ct).ResponseAsync));

        Assert.Single(responses.Select(r => r.HoldId).Distinct());
        Assert.Single(responses, r => !r.Receipt.Replayed);
        Assert.Equal(70, (await GetAsync(memberId)).Held);
    }

    [Fact]
    public async Task ReserveRedemption_RetriedRequestId_ReplaysSameHold()
    {
        var memberId = await EnrolledAsync();
        var request = Reserve(memberId, NewRequestId("reserve"), 40);
        var first = await Pos.ReserveRedemptionAsync(request, cancellationToken: Ct);

        var second = await Pos.ReserveRedemptionAsync(request, cancellationToken: Ct);

        AssertReplayOf(first.Receipt, second.Receipt);
        Assert.Equal(first.HoldId, second.HoldId);
        Assert.Equal(first.HoldExpiresAt, second.HoldExpiresAt);
        var member = await GetAsync(memberId);
        Assert.Equal(40, member.Held);
        Assert.Single(member.Holds);
    }

    [Fact]
    public async Task CaptureRedemption_RetriedRequestId_ReplaysAndRedeemsOnce()
    {
        var memberId = await EnrolledAsync(50_000);
        var hold = await ReserveAsync(memberId, 200);
        var request = Capture(memberId, NewRequestId("capture"), hold.HoldId);
        var first = await Pos.CaptureRedemptionAsync(request, cancellationToken: Ct);

        var second = await Pos.CaptureRedemptionAsync(request, cancellationToken: Ct);

        AssertReplayOf(first.Receipt, second.Receipt);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, request.RequestId));
        Assert.Equal(400, await Db.LedgerSumAsync(memberId));
        Assert.Equal(400, (await GetAsync(memberId)).Balance);
    }

    [Fact]
    public async Task ReleaseRedemption_RetriedRequestId_ReplaysFirstReceipt()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 30);
        var request = Release(memberId, NewRequestId("release"), hold.HoldId);
        var first = await Pos.ReleaseRedemptionAsync(request, cancellationToken: Ct);

        var second = await Pos.ReleaseRedemptionAsync(request, cancellationToken: Ct);

        AssertReplayOf(first.Receipt, second.Receipt);
        Assert.Equal(30, second.Receipt.Points);
    }

    [Fact]
    public async Task Refund_RetriedRequestId_ReplaysAndTakesBackOnce()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);
        var request = Refund(memberId, NewRequestId("refund"), purchase, amountFen: 10_000);
        var first = await Pos.RefundAsync(request, cancellationToken: Ct);

        var second = await Pos.RefundAsync(request, cancellationToken: Ct);

        AssertReplayOf(first.Receipt, second.Receipt);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, request.RequestId));
        Assert.Equal(250, await Db.LedgerSumAsync(memberId));
        Assert.Equal(15_000, (await GetAsync(memberId)).LifetimeSpendFen);
    }

    [Fact]
    public async Task Accrue_ReusedRequestIdWithOtherAmount_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var requestId = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, requestId, 10_000), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(Accrue(memberId, requestId, 10_001), cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, requestId));
    }

    [Fact]
    public async Task Accrue_ReusedRequestIdWithOtherStore_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 10_000);
        await Pos.AccrueAsync(request, cancellationToken: Ct);
        var other = request.Clone();
        other.StoreId = "S999";

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(other, cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
    }

    [Fact]
    public async Task ReserveRedemption_ReusedRequestIdWithOtherPoints_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var requestId = NewRequestId("reserve");
        await Pos.ReserveRedemptionAsync(Reserve(memberId, requestId, 10), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(Reserve(memberId, requestId, 20), cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
    }

    [Fact]
    public async Task CaptureRedemption_ReusedRequestIdOfPurchase_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 10_000), cancellationToken: Ct);
        var hold = await ReserveAsync(memberId, 10);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.CaptureRedemptionAsync(Capture(memberId, purchase, hold.HoldId), cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
    }

    [Fact]
    public async Task ReleaseRedemption_ReusedRequestIdWithOtherHold_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var first = await ReserveAsync(memberId, 10);
        var second = await ReserveAsync(memberId, 20);
        var requestId = NewRequestId("release");
        await Pos.ReleaseRedemptionAsync(Release(memberId, requestId, first.HoldId), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.ReleaseRedemptionAsync(Release(memberId, requestId, second.HoldId), cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
    }

    [Fact]
    public async Task Refund_ReusedRequestIdWithOtherAmount_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);
        var requestId = NewRequestId("refund");
        await Pos.RefundAsync(Refund(memberId, requestId, purchase, amountFen: 5_000), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.RefundAsync(Refund(memberId, requestId, purchase, amountFen: 6_000), cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
    }

    [Fact]
    public async Task EnrollMember_ReusedRequestIdWithOtherPayload_AlreadyExistsRequestId()
    {
        var memberId = NewMemberId();
        var request = Enroll(memberId);
        await Pos.EnrollMemberAsync(request, cancellationToken: Ct);
        var other = request.Clone();
        other.MarketingConsent = true;

        await AssertRefusedUnchangedAsync(memberId, () => Pos.EnrollMemberAsync(other, cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
        Assert.False((await GetAsync(memberId)).MarketingConsent);
    }

    [Fact]
    public async Task EnrollMember_EnrolledMemberWithNewRequestId_AlreadyExistsMemberId()
    {
        var memberId = await EnrolledAsync();

        await AssertRefusedUnchangedAsync(memberId, () => Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct), StatusCode.AlreadyExists, "member_id");
    }

    private static void AssertReplayOf(Receipt first, Receipt second)
    {
        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        var expected = first.Clone();
        expected.Replayed = true;
        Assert.Equal(expected, second);
    }
}
