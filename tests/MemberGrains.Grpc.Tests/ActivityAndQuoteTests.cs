using Google.Rpc;
using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// The rpcs and fields added with the program engine, on the flat test program (1 point per CNY,
/// any redemption amount, no basket share): wire mapping, idempotency and field-level errors.
/// The default program's rules are in ProgramRulesTests.
/// </summary>
[Collection(GrpcCollection.Name)]
public sealed class ActivityAndQuoteTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    [Fact]
    public async Task RecordActivity_CheckIn_AwardsPointsWithReceipt()
    {
        var memberId = await EnrolledAsync();
        var request = Activity(memberId, "check_in");

        var response = await Pos.RecordActivityAsync(request, cancellationToken: Ct);

        Assert.Equal(request.RequestId, response.Receipt.RequestId);
        Assert.Equal(5, response.Receipt.Points);
        Assert.Equal(105, response.Receipt.Balance);
        Assert.Equal(105, response.Receipt.Available);
        Assert.Equal(Decision.Unspecified, response.Receipt.Decision);
        Assert.Null(response.Receipt.Earning);
        Assert.False(response.Receipt.Replayed);
        Assert.Equal(105, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task RecordActivity_RetriedRequestId_ReplayedAndAwardedOnce()
    {
        var memberId = await EnrolledAsync();
        var request = Activity(memberId, "review", reference: "REVIEW-42");
        var first = await Pos.RecordActivityAsync(request, cancellationToken: Ct);

        var second = await Pos.RecordActivityAsync(request, cancellationToken: Ct);

        Assert.False(first.Receipt.Replayed);
        Assert.True(second.Receipt.Replayed);
        Assert.Equal(first.Receipt.Points, second.Receipt.Points);
        Assert.Equal(first.Receipt.Balance, second.Receipt.Balance);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, request.RequestId));
        Assert.Equal(120, (await GetAsync(memberId)).Balance);
    }

    [Fact]
    public async Task RecordActivity_RequestIdReusedForOtherKind_AlreadyExistsRequestId()
    {
        var memberId = await EnrolledAsync();
        var request = Activity(memberId, "check_in");
        await Pos.RecordActivityAsync(request, cancellationToken: Ct);
        request.Kind = "review";

        await AssertRefusedUnchangedAsync(memberId, () => Pos.RecordActivityAsync(request, cancellationToken: Ct), StatusCode.AlreadyExists, "request_id");
    }

    [Theory]
    [InlineData("")]
    [InlineData("no_such_activity")]
    [InlineData("check in")]
    public async Task RecordActivity_MissingOrUnknownKind_InvalidArgumentKind(string kind)
    {
        var memberId = await EnrolledAsync();

        await AssertRefusedUnchangedAsync(memberId, () => Pos.RecordActivityAsync(Activity(memberId, kind), cancellationToken: Ct), StatusCode.InvalidArgument, "kind");
    }

    [Fact]
    public async Task RecordActivity_MalformedReference_InvalidArgumentReference()
    {
        var memberId = await EnrolledAsync();

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RecordActivityAsync(Activity(memberId, "review", reference: "line\nbreak"), cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "reference");
    }

    [Theory]
    [InlineData("request_id")]
    [InlineData("store_id")]
    [InlineData("terminal_id")]
    public async Task RecordActivity_MissingTillId_InvalidArgumentNamingIt(string field)
    {
        var memberId = await EnrolledAsync();
        var request = Activity(memberId, "check_in");
        RecordActivityRequest.Descriptor.FindFieldByName(field).Accessor.SetValue(request, string.Empty);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.RecordActivityAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, field);
    }

    [Fact]
    public async Task QuoteCheckout_Basket_EarnsLikeAccrueAndChangesNothing()
    {
        var memberId = await EnrolledAsync(10_000);
        var before = await GetAsync(memberId);
        var ledgerRows = await Db.LedgerCountAsync(memberId);
        var row = await Db.MemberRowAsync(memberId);

        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 25_800, redeemPoints: 50), cancellationToken: Ct);

        Assert.Equal(258, quote.PointsToEarn);
        Assert.Equal(25_800, quote.Earning.EligibleFen);
        Assert.Equal("1", quote.Earning.PointsPerUnit);
        Assert.Equal(200, quote.Available);
        Assert.Equal(200, quote.MaxRedeemablePoints);
        Assert.Equal(200, quote.MaxRedeemableValueFen);
        Assert.Equal(50, quote.RedeemPoints);
        Assert.Equal(50, quote.RedeemValueFen);
        Assert.Equal(25_750, quote.CashDueFen);
        Assert.Equal(Decision.Approve, quote.Decision);
        Assert.Empty(quote.Reasons);
        Assert.Equal("10", quote.TierDiscountPercent);
        Assert.Equal(1, quote.ProgramVersion);
        Assert.Equal(before, await GetAsync(memberId));
        Assert.Equal(ledgerRows, await Db.LedgerCountAsync(memberId));
        Assert.Equal(row, await Db.MemberRowAsync(memberId));

        var accrued = await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 25_800), cancellationToken: Ct);
        Assert.Equal(quote.PointsToEarn, accrued.Receipt.Points);
        Assert.Equal(quote.Earning, accrued.Receipt.Earning);
    }

    [Fact]
    public async Task QuoteCheckout_MoreThanAvailable_DeclineWithReason()
    {
        var memberId = await EnrolledAsync();

        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 10_000, redeemPoints: 101), cancellationToken: Ct);

        Assert.Equal(Decision.Decline, quote.Decision);
        Assert.Contains("insufficient_points", quote.Reasons);
        Assert.Equal(10_000, quote.CashDueFen);
        Assert.Equal(100, quote.MaxRedeemablePoints);
    }

    [Fact]
    public async Task QuoteCheckout_UnknownMember_NotFoundMemberId()
    {
        var memberId = NewMemberId();

        await AssertRefusedAsync(() => Pos.QuoteCheckoutAsync(Quote(memberId, 1_000), cancellationToken: Ct), StatusCode.NotFound, "member_id");

        Assert.Null(await Db.MemberRowAsync(memberId));
    }

    [Fact]
    public async Task RecordActivity_UnknownMember_NotFoundMemberId()
    {
        var memberId = NewMemberId();

        await AssertRefusedAsync(() => Pos.RecordActivityAsync(Activity(memberId, "check_in"), cancellationToken: Ct), StatusCode.NotFound, "member_id");

        Assert.Null(await Db.MemberRowAsync(memberId));
        Assert.Equal(0, await Db.LedgerCountAsync(memberId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    public async Task NewRpcs_MalformedMemberId_InvalidArgumentMemberId(string memberId)
    {
        await AssertRefusedAsync(() => Pos.RecordActivityAsync(Activity(memberId, "check_in"), cancellationToken: Ct), StatusCode.InvalidArgument, "member_id");
        await AssertRefusedAsync(() => Pos.QuoteCheckoutAsync(Quote(memberId, 1_000), cancellationToken: Ct), StatusCode.InvalidArgument, "member_id");
    }

    [Theory]
    [InlineData(0L, 0L, 0L, "S001", "total_fen")]
    [InlineData(1_000L, 999L, 0L, "S001", "lines")]
    [InlineData(1_000L, 1_000L, -1L, "S001", "redeem_points")]
    [InlineData(1_000L, 1_000L, 0L, "", "store_id")]
    public async Task QuoteCheckout_BadField_InvalidArgumentNamingIt(long totalFen, long lineFen, long redeemPoints, string storeId, string field)
    {
        var memberId = await EnrolledAsync();
        var request = Quote(memberId, totalFen, redeemPoints);
        request.Lines[0].AmountFen = lineFen;
        request.StoreId = storeId;

        await AssertRefusedUnchangedAsync(memberId, () => Pos.QuoteCheckoutAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, field);
    }

    [Fact]
    public async Task Accrue_FlatProgram_ReceiptCarriesBreakdown()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 12_345);
        request.Lines[0].Promoted = true;

        var receipt = (await Pos.AccrueAsync(request, cancellationToken: Ct)).Receipt;

        Assert.Equal(123, receipt.Points);
        Assert.Equal(Decision.Unspecified, receipt.Decision);
        Assert.Empty(receipt.Reasons);
        Assert.Equal(0, receipt.ValueFen);
        var earning = receipt.Earning;
        Assert.NotNull(earning);
        Assert.Equal(12_345, earning.EligibleFen);
        Assert.Equal("1", earning.PointsPerUnit);
        Assert.Equal("1", earning.TierMultiplier);
        Assert.Equal("1", earning.BirthdayMultiplier);
        Assert.Empty(earning.Campaigns);
        Assert.Equal(123, earning.RatePoints);
        Assert.Equal(0, earning.BonusPoints);
        Assert.False(earning.CapReached);
    }

    [Fact]
    public async Task ReserveAndCapture_FlatProgram_ApprovedWithValue()
    {
        var memberId = await EnrolledAsync();

        var hold = await ReserveAsync(memberId, 40);
        var captured = await Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId), cancellationToken: Ct);

        Assert.Equal(Decision.Approve, hold.Receipt.Decision);
        Assert.Empty(hold.Receipt.Reasons);
        Assert.Equal(40, hold.Receipt.ValueFen);
        Assert.Equal(40, captured.Receipt.ValueFen);
        Assert.Equal(Decision.Unspecified, captured.Receipt.Decision);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public async Task ReserveRedemption_NegativeBasketFen_InvalidArgumentBasketFen(long basketFen)
    {
        var memberId = await EnrolledAsync();
        var request = Reserve(memberId, NewRequestId("reserve"), 10);
        request.BasketFen = basketFen;

        await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "basket_fen");
    }

    [Fact]
    public async Task CaptureRedemption_MalformedApprovedBy_InvalidArgumentApprovedBy()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 10);
        var request = Capture(memberId, NewRequestId("capture"), hold.HoldId);
        request.ApprovedBy = "staff 7\u0007";

        await AssertRefusedUnchangedAsync(memberId, () => Pos.CaptureRedemptionAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "approved_by");
    }

    [Fact]
    public async Task CaptureRedemption_ApprovedByOnApprovedHold_CapturedAnyway()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 10);
        var request = Capture(memberId, NewRequestId("capture"), hold.HoldId);
        request.ApprovedBy = "STAFF-7";

        var captured = await Pos.CaptureRedemptionAsync(request, cancellationToken: Ct);

        Assert.Equal(10, captured.Receipt.Points);
        Assert.Equal(90, captured.Receipt.Balance);
    }

    [Fact]
    public async Task GetMember_FlatProgram_NewFieldsMapped()
    {
        var memberId = await EnrolledAsync(25_000);
        await ReserveAsync(memberId, 30);

        var member = await GetAsync(memberId);

        Assert.Equal(0, member.Pending);
        Assert.Equal(0, member.Owed);
        Assert.Equal(Tier.Regular, member.TierStatus.Tier);
        Assert.Equal(member.Tier, member.TierStatus.Tier);
        Assert.Equal(member.QualifyingSpendFen, member.TierStatus.QualifyingSpendFen);
        Assert.Equal(Tier.Silver, member.TierStatus.NextTier);
        Assert.Equal(75_000, member.TierStatus.SpendToNextTierFen);
        Assert.True(member.Rfm.HasRecencyDays);
        Assert.Equal(0, member.Rfm.RecencyDays);
        Assert.Equal(1, member.Rfm.Frequency);
        Assert.Equal(LifecycleStage.New, member.Lifecycle);
        Assert.Equal("new", member.Segment);
        Assert.Empty(member.Flags);
        Assert.Equal(0, member.ExpiringSoon.Points);
        Assert.Null(member.ExpiringSoon.FirstExpiresAt);
        Assert.All(member.Lots, l => Assert.Equal(l.EarnedAt, l.AvailableAt));
        Assert.False(Assert.Single(member.Holds).NeedsReview);
    }

    [Fact]
    public async Task ReserveRedemption_NotEnoughPoints_NoDeclineErrorInfo()
    {
        // The flat program declines nothing; a plain precondition failure must not look like a decline.
        var memberId = await EnrolledAsync();

        var e = await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.ReserveRedemptionAsync(Reserve(memberId, NewRequestId("reserve"), 101), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "points");

        Assert.Null(e.GetRpcStatus()!.GetDetail<ErrorInfo>());
    }

    private static RecordActivityRequest Activity(string memberId, string kind, string reference = "") => new()
    {
        MemberId = memberId,
        RequestId = NewRequestId("activity"),
        StoreId = Store,
        TerminalId = Terminal,
        Kind = kind,
        Reference = reference,
    };

    private static QuoteCheckoutRequest Quote(string memberId, long totalFen, long redeemPoints = 0) => new()
    {
        MemberId = memberId,
        StoreId = Store,
        TotalFen = totalFen,
        RedeemPoints = redeemPoints,
        Lines = { new PurchaseLine { Sku = "SKU-1", Category = "grocery", Quantity = 1, AmountFen = totalFen } },
    };
}
