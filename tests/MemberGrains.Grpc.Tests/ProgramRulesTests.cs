using Google.Rpc;
using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// The default loyalty program (docs/loyalty-program.md) through a real Kestrel host: step rates
/// and the threshold bonus, quotes, behaviour points, redemption amounts and basket share, tier
/// progress, lifecycle and RFM, and the risk rules' review and decline decisions.
/// </summary>
[Collection(DefaultProgramCollection.Name)]
public sealed class ProgramRulesTests(DefaultProgramHostFixture fixture) : GrpcTestBase(fixture)
{
    [Fact]
    public async Task Accrue_80Cny_Earns800AtTenPerCny()
    {
        var memberId = await EnrolledAsync();

        var receipt = (await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 8_000), cancellationToken: Ct)).Receipt;

        Assert.Equal(800, receipt.Points);
        Assert.Equal(900, receipt.Balance);
        var earning = receipt.Earning;
        Assert.NotNull(earning);
        Assert.Equal(8_000, earning.EligibleFen);
        Assert.Equal("10", earning.PointsPerUnit);
        Assert.Equal(800, earning.RatePoints);
        Assert.Equal(0, earning.BonusPoints);
        Assert.False(earning.CapReached);
        Assert.Equal(900, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Accrue_250Cny_Earns3050AtTwelvePerCnyPlusThresholdBonus()
    {
        var memberId = await EnrolledAsync();

        var receipt = (await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 25_000), cancellationToken: Ct)).Receipt;

        Assert.Equal(3_050, receipt.Points);
        Assert.Equal(3_150, receipt.Balance);
        var earning = receipt.Earning;
        Assert.NotNull(earning);
        Assert.Equal(25_000, earning.EligibleFen);
        Assert.Equal("12", earning.PointsPerUnit);
        Assert.Equal("1", earning.TierMultiplier);
        Assert.Equal("1", earning.BirthdayMultiplier);
        Assert.Empty(earning.Campaigns);
        Assert.Equal(3_000, earning.RatePoints);
        Assert.Equal(50, earning.BonusPoints);
        Assert.False(earning.CapReached);
    }

    [Fact]
    public async Task QuoteCheckout_Basket_SamePointsAsTheAccrueAndNothingChanges()
    {
        var memberId = await EnrolledAsync(8_000);
        var before = await GetAsync(memberId);
        var ledgerRows = await Db.LedgerCountAsync(memberId);
        var row = await Db.MemberRowAsync(memberId);

        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 25_000, redeemPoints: 500), cancellationToken: Ct);

        Assert.Equal(3_050, quote.PointsToEarn);
        Assert.Equal(900, quote.Available);
        Assert.Equal(900, quote.MaxRedeemablePoints);
        Assert.Equal(900, quote.MaxRedeemableValueFen);
        Assert.Equal(500, quote.RedeemValueFen);
        Assert.Equal(24_500, quote.CashDueFen);
        Assert.Equal(Decision.Approve, quote.Decision);
        Assert.Equal("10", quote.TierDiscountPercent);
        var after = await GetAsync(memberId);
        Assert.Equal(before, after);
        Assert.Equal(900, after.Balance);
        Assert.Equal(ledgerRows, await Db.LedgerCountAsync(memberId));
        Assert.Equal(row, await Db.MemberRowAsync(memberId));

        var accrued = (await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 25_000), cancellationToken: Ct)).Receipt;

        Assert.Equal(quote.PointsToEarn, accrued.Points);
        Assert.Equal(quote.Earning, accrued.Earning);
    }

    [Fact]
    public async Task QuoteCheckout_InvalidAmountAndBeyondBasketShare_DeclineWithReasons()
    {
        var memberId = await EnrolledAsync(8_000);

        // 10 CNY basket: points may pay 5 CNY (500 points) of it; 650 is neither a multiple of 100 nor within that.
        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 1_000, redeemPoints: 650), cancellationToken: Ct);

        Assert.Equal(Decision.Decline, quote.Decision);
        Assert.Equal(["invalid_amount", "basket_share_exceeded"], quote.Reasons);
        Assert.Equal(500, quote.MaxRedeemablePoints);
        Assert.Equal(500, quote.MaxRedeemableValueFen);
        Assert.Equal(1_000, quote.CashDueFen);
    }

    [Fact]
    public async Task RecordActivity_CheckInTwiceOnOneDay_SecondFailedPreconditionKind()
    {
        var memberId = await EnrolledAsync();
        var first = await Pos.RecordActivityAsync(Activity(memberId, "check_in"), cancellationToken: Ct);
        Assert.Equal(5, first.Receipt.Points);
        Assert.Equal(105, first.Receipt.Balance);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.RecordActivityAsync(Activity(memberId, "check_in"), cancellationToken: Ct), StatusCode.FailedPrecondition, "kind");

        Fixture.Time.Advance(TimeSpan.FromDays(1));
        var nextDay = await Pos.RecordActivityAsync(Activity(memberId, "check_in"), cancellationToken: Ct);
        Assert.Equal(5, nextDay.Receipt.Points);
        Assert.Equal(110, nextDay.Receipt.Balance);
    }

    [Fact]
    public async Task RecordActivity_SurveyTwiceOnOneDay_SecondFailedPreconditionKind()
    {
        // The default program allows one survey a day (referrals are unlimited: three earn a coupon).
        var memberId = await EnrolledAsync();
        var first = await Pos.RecordActivityAsync(Activity(memberId, "survey"), cancellationToken: Ct);
        Assert.Equal(30, first.Receipt.Points);

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RecordActivityAsync(Activity(memberId, "survey"), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "kind");
    }

    [Fact]
    public async Task RecordActivity_UnknownKind_InvalidArgumentKind()
    {
        var memberId = await EnrolledAsync();

        var e = await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RecordActivityAsync(Activity(memberId, "selfie"), cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "kind");

        Assert.Contains("check_in", e.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(150L)]
    [InlineData(250L)]
    public async Task ReserveRedemption_NotMultipleOf100_InvalidArgumentPoints(long points)
    {
        var memberId = await EnrolledAsync(8_000);

        var e = await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(Reserve(memberId, points, 100_000), cancellationToken: Ct), StatusCode.InvalidArgument, "points");

        Assert.Contains("multiple of 100", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReserveRedemption_BelowMinimum_InvalidArgumentPoints()
    {
        var memberId = await EnrolledAsync(8_000);

        var e = await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(Reserve(memberId, 50, 100_000), cancellationToken: Ct), StatusCode.InvalidArgument, "points");

        Assert.Contains("at least 100", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReserveRedemption_AboveBasketShare_InvalidArgumentPoints()
    {
        var memberId = await EnrolledAsync(8_000);

        // Points may pay half of a 10 CNY basket: 500 points, not 600.
        await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(Reserve(memberId, 600, 1_000), cancellationToken: Ct), StatusCode.InvalidArgument, "points");

        var hold = await Pos.ReserveRedemptionAsync(Reserve(memberId, 500, 1_000), cancellationToken: Ct);
        Assert.Equal(500, hold.Receipt.Points);
        Assert.Equal(500, hold.Receipt.ValueFen);
        Assert.Equal(Decision.Approve, hold.Receipt.Decision);
    }

    [Fact]
    public async Task ReserveRedemption_WithoutBasketUnderHalfShareProgram_InvalidArgumentBasketFen()
    {
        var memberId = await EnrolledAsync(8_000);

        await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(Reserve(memberId, 100, basketFen: 0), cancellationToken: Ct), StatusCode.InvalidArgument, "basket_fen");
    }

    [Fact]
    public async Task GetMember_BeforeAndAfterFirstPurchase_ProspectThenNewWithTierProgressAndRfm()
    {
        var memberId = await EnrolledAsync();

        var prospect = await GetAsync(memberId);

        Assert.Equal(LifecycleStage.Prospect, prospect.Lifecycle);
        Assert.Equal(string.Empty, prospect.Segment);
        Assert.False(prospect.Rfm.HasRecencyDays);
        Assert.Equal(0, prospect.Rfm.Frequency);
        Assert.Equal(0, prospect.Rfm.RecencyScore);
        Assert.Equal(Tier.Regular, prospect.TierStatus.Tier);
        Assert.Equal("10", prospect.TierStatus.DiscountPercent);
        Assert.Equal("1", prospect.TierStatus.EarnMultiplier);
        Assert.Empty(prospect.TierStatus.Perks);
        Assert.Equal(0, prospect.TierStatus.QualifyingSpendFen);
        Assert.Equal(Tier.Silver, prospect.TierStatus.NextTier);
        Assert.Equal(100_000, prospect.TierStatus.SpendToNextTierFen);

        await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 25_000), cancellationToken: Ct);
        var first = await GetAsync(memberId);

        Assert.Equal(LifecycleStage.New, first.Lifecycle);
        Assert.Equal("new", first.Segment);
        Assert.True(first.Rfm.HasRecencyDays);
        Assert.Equal(0, first.Rfm.RecencyDays);
        Assert.Equal(1, first.Rfm.Frequency);
        Assert.Equal(25_000, first.Rfm.MonetaryFen);
        Assert.Equal(5, first.Rfm.RecencyScore);
        Assert.Equal(1, first.Rfm.FrequencyScore);
        Assert.Equal(1, first.Rfm.MonetaryScore);
        Assert.Equal(25_000, first.TierStatus.QualifyingSpendFen);
        Assert.Equal(75_000, first.TierStatus.SpendToNextTierFen);
        Assert.Equal(Tier.Silver, first.TierStatus.NextTier);
        Assert.Empty(first.Flags);
        Assert.Equal(0, first.ExpiringSoon.Points);
    }

    [Fact]
    public async Task GetMember_AfterReachingSilver_NextTierGold()
    {
        var memberId = await EnrolledAsync(100_000);

        var member = await GetAsync(memberId);

        Assert.Equal(Tier.Silver, member.Tier);
        Assert.Equal(Tier.Silver, member.TierStatus.Tier);
        Assert.Equal(Tier.Gold, member.TierStatus.NextTier);
        Assert.Equal(900_000, member.TierStatus.SpendToNextTierFen);
        Assert.Equal(100_000, member.QualifyingSpendFen);
    }

    [Fact]
    public async Task ReserveRedemption_NewMemberLargeRedemption_ReviewThenCaptureNeedsApprovedBy()
    {
        var memberId = await EnrolledAsync(25_000);

        var hold = await Pos.ReserveRedemptionAsync(Reserve(memberId, 2_000, 40_000), cancellationToken: Ct);

        Assert.Equal(Decision.Review, hold.Receipt.Decision);
        Assert.Equal(["new_member_redemption"], hold.Receipt.Reasons);
        Assert.Equal(2_000, hold.Receipt.Points);
        Assert.Equal(2_000, hold.Receipt.ValueFen);
        Assert.True(Assert.Single((await GetAsync(memberId)).Holds).NeedsReview);

        var e = await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId), cancellationToken: Ct),
            StatusCode.FailedPrecondition,
            "approved_by");
        Assert.Null(e.GetRpcStatus()!.GetDetail<ErrorInfo>());

        var approved = Capture(memberId, NewRequestId("capture"), hold.HoldId);
        approved.ApprovedBy = "STAFF-7";
        var captured = await Pos.CaptureRedemptionAsync(approved, cancellationToken: Ct);

        Assert.Equal(2_000, captured.Receipt.Points);
        Assert.Equal(2_000, captured.Receipt.ValueFen);
        Assert.Equal(1_150, captured.Receipt.Balance);
        Assert.Equal(1_150, await Db.LedgerSumAsync(memberId));
        Assert.Empty((await GetAsync(memberId)).Holds);
    }

    [Fact]
    public async Task ReserveRedemption_SmallRedemptionByNewMember_Approved()
    {
        var memberId = await EnrolledAsync(25_000);

        var hold = await Pos.ReserveRedemptionAsync(Reserve(memberId, 1_900, 40_000), cancellationToken: Ct);

        Assert.Equal(Decision.Approve, hold.Receipt.Decision);
        Assert.Empty(hold.Receipt.Reasons);
        Assert.False(Assert.Single((await GetAsync(memberId)).Holds).NeedsReview);
    }

    [Fact]
    public async Task ReserveRedemption_RefundAbuser_FailedPreconditionWithDeclineErrorInfo()
    {
        var memberId = await EnrolledAsync();
        var purchases = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var requestId = NewRequestId("buy");
            await Pos.AccrueAsync(Accrue(memberId, requestId, 10_000), cancellationToken: Ct);
            purchases.Add(requestId);
        }

        // Two of three purchases refunded: 67 % of the spend, above the program's 50 %.
        await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchases[0]), cancellationToken: Ct);
        await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchases[1]), cancellationToken: Ct);
        var member = await GetAsync(memberId);
        var flag = Assert.Single(member.Flags);
        Assert.Equal("refund_abuse", flag.Code);
        Assert.Equal(Decision.Decline, flag.OnRedemption);

        var e = await AssertRefusedUnchangedAsync(memberId, () => Pos.ReserveRedemptionAsync(Reserve(memberId, 200, 10_000), cancellationToken: Ct), StatusCode.FailedPrecondition, "points");

        var info = e.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("REDEMPTION_DECLINED", info.Reason);
        Assert.Equal("membergrains", info.Domain);
        Assert.Equal("refund_abuse", info.Metadata["reasons"]);
        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 10_000, redeemPoints: 200), cancellationToken: Ct);
        Assert.Equal(Decision.Decline, quote.Decision);
        Assert.Equal(["refund_abuse"], quote.Reasons);
    }

    private static ReserveRedemptionRequest Reserve(string memberId, long points, long basketFen)
    {
        var request = Reserve(memberId, NewRequestId("reserve"), points);
        request.BasketFen = basketFen;
        return request;
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
