using Google.Protobuf.WellKnownTypes;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>Every rpc of membergrains.v1.PointOfSale answering over real Kestrel, Orleans and Postgres.</summary>
[Collection(GrpcCollection.Name)]
public sealed class HappyPathTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    /// <summary>Where base-program lots earned in 2026 (Asia/Shanghai) expire: 1 January 2028, 00:00 +08:00.</summary>
    private static readonly Timestamp LotExpiry2026 = Timestamp.FromDateTimeOffset(new DateTimeOffset(2028, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)));

    [Fact]
    public async Task EnrollMember_NewMember_AwardsBonusWithReceipt()
    {
        var memberId = NewMemberId();
        var requestId = NewRequestId("enroll");

        var response = await Pos.EnrollMemberAsync(Enroll(memberId, requestId), cancellationToken: Ct);

        var receipt = response.Receipt;
        Assert.Equal(requestId, receipt.RequestId);
        Assert.Equal(100, receipt.Points);
        Assert.Equal(100, receipt.Balance);
        Assert.Equal(100, receipt.Available);
        Assert.Equal(1, receipt.ProgramVersion);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now), receipt.AppliedAt);
        Assert.False(receipt.Replayed);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, requestId));
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task GetMember_NewMemberWithoutOptionalFields_ReturnsEmptyDefaults()
    {
        var memberId = NewMemberId();
        await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);

        var member = await GetAsync(memberId);

        Assert.Equal(memberId, member.MemberId);
        Assert.Equal(string.Empty, member.Birthday);
        Assert.Equal(string.Empty, member.HomeStoreId);
        Assert.False(member.MarketingConsent);
        Assert.False(member.PersonalisationConsent);
        Assert.Equal(Tier.Regular, member.Tier);
        Assert.Equal(100, member.Balance);
        Assert.Null(member.FirstPurchaseAt);
        Assert.Null(member.LastPurchaseAt);
        Assert.Equal(0, member.PurchaseCount);
        Assert.Empty(member.Holds);
        var lot = Assert.Single(member.Lots);
        Assert.Equal(100, lot.Remaining);
    }

    [Fact]
    public async Task GetMember_ListsLotsAndHoldsOnlyWhenAsked_TotalsEitherWay()
    {
        var memberId = NewMemberId();
        await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);
        await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 20_000), cancellationToken: Ct);
        var hold = await ReserveAsync(memberId, 50);

        var brief = await Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct);
        var full = await Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId, IncludeLotsAndHolds = true }, cancellationToken: Ct);

        // The second brief read is answered from the view the grain keeps (kept from a second read
        // on); a full read in between or after gets the lists all the same.
        var briefAgain = await Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct);
        var fullAgain = await Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId, IncludeLotsAndHolds = true }, cancellationToken: Ct);
        Assert.Empty(briefAgain.Lots);
        Assert.Equal(brief.Balance, briefAgain.Balance);
        Assert.Equal(full.Lots, fullAgain.Lots);
        Assert.Equal(full.Holds, fullAgain.Holds);

        Assert.False(brief.LotsAndHoldsIncluded);
        Assert.Empty(brief.Lots);
        Assert.Empty(brief.Holds);
        Assert.True(full.LotsAndHoldsIncluded);
        Assert.Equal(2, full.Lots.Count);
        Assert.Equal(hold.HoldId, Assert.Single(full.Holds).HoldId);
        Assert.Equal(full.Lots.Sum(l => l.Remaining), brief.Balance);
        Assert.Equal(50, brief.Held);
        Assert.Equal(full.Balance, brief.Balance);
        Assert.Equal(full.Available, brief.Available);
        Assert.Equal(full.ExpiringSoon, brief.ExpiringSoon);
    }

    [Fact]
    public async Task GetMember_AfterPurchasesAndHold_ReturnsAllFields()
    {
        var memberId = NewMemberId();
        var enrolledAt = Now;
        await Pos.EnrollMemberAsync(
            new EnrollMemberRequest
            {
                MemberId = memberId,
                RequestId = NewRequestId("enroll"),
                Birthday = "1990-02-28",
                HomeStoreId = "S042",
                MarketingConsent = true,
                PersonalisationConsent = false,
            },
            cancellationToken: Ct);
        await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 150_000), cancellationToken: Ct);
        Fixture.Time.Advance(TimeSpan.FromMinutes(1));
        var secondPurchaseAt = Now;
        await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 2_099), cancellationToken: Ct);
        var hold = await ReserveAsync(memberId, 300);

        var member = await GetAsync(memberId);

        Assert.Equal(memberId, member.MemberId);
        Assert.Equal(Timestamp.FromDateTimeOffset(enrolledAt), member.EnrolledAt);
        Assert.Equal("1990-02-28", member.Birthday);
        Assert.Equal("S042", member.HomeStoreId);
        Assert.True(member.MarketingConsent);
        Assert.False(member.PersonalisationConsent);
        Assert.Equal(Tier.Silver, member.Tier);
        Assert.Equal(100 + 1_500 + 20, member.Balance);
        Assert.Equal(300, member.Held);
        Assert.Equal(1_620 - 300, member.Available);
        Assert.Equal(0, member.Debt);
        Assert.Equal(152_099, member.LifetimeSpendFen);
        Assert.Equal(152_099, member.QualifyingSpendFen);
        Assert.Equal(Timestamp.FromDateTimeOffset(enrolledAt), member.FirstPurchaseAt);
        Assert.Equal(Timestamp.FromDateTimeOffset(secondPurchaseAt), member.LastPurchaseAt);
        Assert.Equal(2, member.PurchaseCount);
        Assert.Equal(1, member.ProgramVersion);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now), member.AsOf);

        // The flat program has no pending days: every lot is redeemable from the moment it is earned.
        var first = Timestamp.FromDateTimeOffset(enrolledAt);
        var second = Timestamp.FromDateTimeOffset(secondPurchaseAt);
        Assert.Collection(
            member.Lots,
            l => Assert.Equal(new PointsLot { EarnedAt = first, ExpiresAt = LotExpiry2026, Remaining = 100, AvailableAt = first }, l),
            l => Assert.Equal(new PointsLot { EarnedAt = first, ExpiresAt = LotExpiry2026, Remaining = 1_500, AvailableAt = first }, l),
            l => Assert.Equal(new PointsLot { EarnedAt = second, ExpiresAt = LotExpiry2026, Remaining = 20, AvailableAt = second }, l));
        var open = Assert.Single(member.Holds);
        Assert.Equal(
            new RedemptionHold { HoldId = hold.HoldId, Points = 300, ExpiresAt = hold.HoldExpiresAt, StoreId = Store, TerminalId = Terminal },
            open);
        Assert.Equal(member.Balance, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Accrue_12345Fen_EarnsOnePointPerWholeYuan()
    {
        var memberId = await EnrolledAsync();
        var requestId = NewRequestId("buy");

        var response = await Pos.AccrueAsync(Accrue(memberId, requestId, 12_345), cancellationToken: Ct);

        Assert.Equal(requestId, response.Receipt.RequestId);
        Assert.Equal(123, response.Receipt.Points);
        Assert.Equal(223, response.Receipt.Balance);
        Assert.Equal(223, response.Receipt.Available);
        Assert.False(response.Receipt.Replayed);
        Assert.Equal(Timestamp.FromDateTimeOffset(Now), response.Receipt.AppliedAt);
        var member = await GetAsync(memberId);
        Assert.Equal(223, member.Balance);
        Assert.Equal(12_345, member.LifetimeSpendFen);
        Assert.Equal(1, member.PurchaseCount);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, requestId));
        Assert.Equal(223, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Accrue_SeveralLinesAddingUpToTotal_EarnsOnTotal()
    {
        var memberId = await EnrolledAsync();
        var request = new AccrueRequest
        {
            MemberId = memberId,
            RequestId = NewRequestId("buy"),
            StoreId = Store,
            TerminalId = Terminal,
            TotalFen = 10_050,
            Lines =
            {
                new PurchaseLine { Sku = "SKU-1", Category = "grocery", Quantity = 2, AmountFen = 5_000 },
                new PurchaseLine { Sku = "SKU-2", Quantity = 1, AmountFen = 5_050 },
                new PurchaseLine { Sku = "FREEBIE", Quantity = 1, AmountFen = 0 },
            },
        };

        var response = await Pos.AccrueAsync(request, cancellationToken: Ct);

        Assert.Equal(100, response.Receipt.Points);
        Assert.Equal(200, response.Receipt.Balance);
    }

    [Fact]
    public async Task ReserveRedemption_DefaultHold_HoldsPointsForTenMinutes()
    {
        var memberId = await EnrolledAsync(50_000);
        var requestId = NewRequestId("reserve");

        var response = await Pos.ReserveRedemptionAsync(Reserve(memberId, requestId, 200), cancellationToken: Ct);

        Assert.False(string.IsNullOrEmpty(response.HoldId));
        Assert.Equal(Timestamp.FromDateTimeOffset(Now + TimeSpan.FromMinutes(10)), response.HoldExpiresAt);
        Assert.Equal(requestId, response.Receipt.RequestId);
        Assert.Equal(200, response.Receipt.Points);
        Assert.Equal(600, response.Receipt.Balance);
        Assert.Equal(400, response.Receipt.Available);
        var member = await GetAsync(memberId);
        Assert.Equal(600, member.Balance);
        Assert.Equal(200, member.Held);
        Assert.Equal(400, member.Available);
        Assert.Equal(response.HoldId, Assert.Single(member.Holds).HoldId);
        Assert.Equal(0, await Db.LedgerRowsAsync(memberId, requestId));
        Assert.Equal(600, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task ReserveRedemption_HoldSecondsGiven_ExpiresThen()
    {
        var memberId = await EnrolledAsync();

        var response = await ReserveAsync(memberId, 50, holdSeconds: 3_600);

        Assert.Equal(Timestamp.FromDateTimeOffset(Now + TimeSpan.FromHours(1)), response.HoldExpiresAt);
    }

    [Fact]
    public async Task CaptureRedemption_WholeHold_SpendsAllHeldPoints()
    {
        var memberId = await EnrolledAsync(50_000);
        var hold = await ReserveAsync(memberId, 200);
        var requestId = NewRequestId("capture");

        var response = await Pos.CaptureRedemptionAsync(Capture(memberId, requestId, hold.HoldId), cancellationToken: Ct);

        Assert.Equal(requestId, response.Receipt.RequestId);
        Assert.Equal(200, response.Receipt.Points);
        Assert.Equal(400, response.Receipt.Balance);
        Assert.Equal(400, response.Receipt.Available);
        var member = await GetAsync(memberId);
        Assert.Equal(400, member.Balance);
        Assert.Equal(0, member.Held);
        Assert.Empty(member.Holds);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, requestId));
        Assert.Equal(400, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task CaptureRedemption_FewerPointsThanHeld_SpendsThoseAndReleasesRest()
    {
        var memberId = await EnrolledAsync(50_000);
        var hold = await ReserveAsync(memberId, 200);
        var requestId = NewRequestId("capture");

        var response = await Pos.CaptureRedemptionAsync(Capture(memberId, requestId, hold.HoldId, points: 50), cancellationToken: Ct);

        Assert.Equal(50, response.Receipt.Points);
        Assert.Equal(550, response.Receipt.Balance);
        Assert.Equal(550, response.Receipt.Available);
        var member = await GetAsync(memberId);
        Assert.Equal(550, member.Balance);
        Assert.Equal(0, member.Held);
        Assert.Equal(550, member.Available);
        Assert.Empty(member.Holds);
        Assert.Equal(550, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task ReleaseRedemption_OpenHold_GivesPointsBack()
    {
        var memberId = await EnrolledAsync(50_000);
        var hold = await ReserveAsync(memberId, 200);
        var requestId = NewRequestId("release");

        var response = await Pos.ReleaseRedemptionAsync(Release(memberId, requestId, hold.HoldId), cancellationToken: Ct);

        Assert.Equal(requestId, response.Receipt.RequestId);
        Assert.Equal(200, response.Receipt.Points);
        Assert.Equal(600, response.Receipt.Balance);
        Assert.Equal(600, response.Receipt.Available);
        var member = await GetAsync(memberId);
        Assert.Equal(600, member.Available);
        Assert.Empty(member.Holds);
        Assert.Equal(0, await Db.LedgerRowsAsync(memberId, requestId));
        Assert.Equal(600, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task ReleaseRedemption_AlreadyReleasedHoldWithNewRequestId_SucceedsWithZeroPoints()
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 60);
        await Pos.ReleaseRedemptionAsync(Release(memberId, NewRequestId("release"), hold.HoldId), cancellationToken: Ct);

        var again = await Pos.ReleaseRedemptionAsync(Release(memberId, NewRequestId("release"), hold.HoldId), cancellationToken: Ct);

        Assert.Equal(0, again.Receipt.Points);
        Assert.False(again.Receipt.Replayed);
        Assert.Equal(100, again.Receipt.Available);
    }

    [Fact]
    public async Task Refund_WholePurchase_TakesBackAllItsPoints()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);
        var requestId = NewRequestId("refund");

        var response = await Pos.RefundAsync(Refund(memberId, requestId, purchase), cancellationToken: Ct);

        Assert.Equal(requestId, response.Receipt.RequestId);
        Assert.Equal(250, response.Receipt.Points);
        Assert.Equal(100, response.Receipt.Balance);
        Assert.Equal(100, response.Receipt.Available);
        var member = await GetAsync(memberId);
        Assert.Equal(100, member.Balance);
        Assert.Equal(0, member.LifetimeSpendFen);
        Assert.Equal(1, await Db.LedgerRowsAsync(memberId, requestId));
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Refund_PartOfPurchase_TakesBackPointsOfThatPart()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);

        var partial = await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase, amountFen: 10_000), cancellationToken: Ct);

        Assert.Equal(100, partial.Receipt.Points);
        Assert.Equal(250, partial.Receipt.Balance);
        Assert.Equal(15_000, (await GetAsync(memberId)).LifetimeSpendFen);

        var rest = await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase), cancellationToken: Ct);

        Assert.Equal(150, rest.Receipt.Points);
        Assert.Equal(100, rest.Receipt.Balance);
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Refund_AfterEarnedPointsWereSpent_LeavesDebtAndNegativeBalance()
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);
        var hold = await ReserveAsync(memberId, 300);
        await Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId), cancellationToken: Ct);

        var refund = await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase), cancellationToken: Ct);

        Assert.Equal(250, refund.Receipt.Points);
        Assert.Equal(-200, refund.Receipt.Balance);
        Assert.Equal(-200, refund.Receipt.Available);
        var member = await GetAsync(memberId);
        Assert.Equal(-200, member.Balance);
        Assert.Equal(200, member.Debt);
        Assert.Empty(member.Lots);
        Assert.Equal(-200, await Db.LedgerSumAsync(memberId));

        // Later earnings pay the debt off first.
        var next = await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 30_000), cancellationToken: Ct);
        Assert.Equal(300, next.Receipt.Points);
        Assert.Equal(100, next.Receipt.Balance);
        Assert.Equal(0, (await GetAsync(memberId)).Debt);
        Assert.Equal(100, await Db.LedgerSumAsync(memberId));
    }
}
