using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>Malformed and out-of-range requests: INVALID_ARGUMENT naming the field, and nothing changes.</summary>
[Collection(GrpcCollection.Name)]
public sealed class ValidationTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    public static readonly string[] Rpcs = ["EnrollMember", "GetMember", "Accrue", "ReserveRedemption", "CaptureRedemption", "ReleaseRedemption", "Refund"];

    public static readonly string[] Mutations = ["Accrue", "ReserveRedemption", "CaptureRedemption", "ReleaseRedemption", "Refund"];

    public static TheoryData<string, string> BadMemberIds()
    {
        var data = new TheoryData<string, string>();
        foreach (var rpc in Rpcs)
        {
            foreach (var id in new[] { string.Empty, "has space", "a/b", new string('x', 65), "nul\0here", "m\u202E1" })
            {
                data.Add(rpc, id);
            }
        }

        return data;
    }

    public static TheoryData<string, string, string> BadTillIds()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var rpc in Mutations)
        {
            foreach (var field in new[] { "request_id", "store_id", "terminal_id" })
            {
                data.Add(rpc, field, string.Empty);
            }
        }

        data.Add("Accrue", "request_id", " leading-space");
        data.Add("Accrue", "request_id", new string('r', 129));
        data.Add("Accrue", "store_id", "tab\there");
        data.Add("Refund", "terminal_id", "T\u200B1");
        data.Add("Accrue", "store_id", "上海\u0000");
        return data;
    }

    [Theory]
    [MemberData(nameof(BadMemberIds))]
    public async Task AnyRpc_MalformedMemberId_InvalidArgumentMemberId(string rpc, string memberId)
    {
        await AssertRefusedAsync(() => CallAsync(rpc, memberId), StatusCode.InvalidArgument, "member_id");
    }

    [Fact]
    public async Task EnrollMember_MemberIdOf64AllowedCharacters_Enrolled()
    {
        var memberId = ("Ab9-_.:" + Guid.NewGuid().ToString("N") + new string('z', 64))[..64];

        var response = await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);

        Assert.Equal(100, response.Receipt.Balance);
        Assert.Equal(memberId, (await GetAsync(memberId)).MemberId);
    }

    [Theory]
    [MemberData(nameof(BadTillIds))]
    public async Task Mutation_MissingOrMalformedTillId_InvalidArgumentNamingIt(string rpc, string field, string value)
    {
        var memberId = await EnrolledAsync(25_000);
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 10_000), cancellationToken: Ct);
        var hold = await ReserveAsync(memberId, 10);

        string requestId = NewRequestId("req"), storeId = Store, terminalId = Terminal;
        switch (field)
        {
            case "request_id": requestId = value; break;
            case "store_id": storeId = value; break;
            default: terminalId = value; break;
        }

        Func<Task> call = rpc switch
        {
            "Accrue" => async () => await Pos.AccrueAsync(With(Accrue(memberId, requestId, 1_000), storeId, terminalId), cancellationToken: Ct),
            "ReserveRedemption" => async () => await Pos.ReserveRedemptionAsync(With(Reserve(memberId, requestId, 10), storeId, terminalId), cancellationToken: Ct),
            "CaptureRedemption" => async () => await Pos.CaptureRedemptionAsync(With(Capture(memberId, requestId, hold.HoldId), storeId, terminalId), cancellationToken: Ct),
            "ReleaseRedemption" => async () => await Pos.ReleaseRedemptionAsync(With(Release(memberId, requestId, hold.HoldId), storeId, terminalId), cancellationToken: Ct),
            _ => async () => await Pos.RefundAsync(With(Refund(memberId, requestId, purchase), storeId, terminalId), cancellationToken: Ct),
        };

        await AssertRefusedUnchangedAsync(memberId, call, StatusCode.InvalidArgument, field);
    }

    [Theory]
    [InlineData(0L, 0L, 1, "total_fen")]
    [InlineData(-1L, -1L, 1, "total_fen")]
    [InlineData(long.MaxValue, long.MaxValue, 1, "total_fen")]
    [InlineData(1_000_000_001L, 1_000_000_001L, 1, "total_fen")]
    [InlineData(long.MinValue, long.MinValue, 1, "total_fen")]
    [InlineData(1_000L, 999L, 1, "lines")]
    [InlineData(1_000L, 1_001L, 1, "lines")]
    [InlineData(1_000L, 1_000L, 0, "lines[0].quantity")]
    [InlineData(1_000L, 1_000L, -1, "lines[0].quantity")]
    [InlineData(1_000L, 1_000L, 100_001, "lines[0].quantity")]
    [InlineData(1_000L, -1L, 1, "lines[0].amount_fen")]
    public async Task Accrue_BadAmountOrLine_InvalidArgumentNamingField(long totalFen, long lineFen, int quantity, string field)
    {
        var memberId = await EnrolledAsync(10_000);
        var request = Accrue(memberId, NewRequestId("buy"), totalFen);
        request.Lines[0].AmountFen = lineFen;
        request.Lines[0].Quantity = quantity;

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, field);
    }

    [Fact]
    public async Task Accrue_NegativeLineBalancedByAnother_InvalidArgumentThatLine()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 1_000);
        request.Lines[0].AmountFen = 1_500;
        request.Lines.Add(new PurchaseLine { Sku = "COUPON", Quantity = 1, AmountFen = -500 });

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "lines[1].amount_fen");
    }

    [Fact]
    public async Task Accrue_NoLines_InvalidArgumentLines()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 1_000);
        request.Lines.Clear();

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "lines");
    }

    [Fact]
    public async Task Accrue_LineWithoutSku_InvalidArgumentSku()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 1_000);
        request.Lines[0].Sku = string.Empty;

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "lines[0].sku");
    }

    [Theory]
    [InlineData(0L, 0, "points")]
    [InlineData(-5L, 0, "points")]
    [InlineData(long.MaxValue, 0, "points")]
    [InlineData(10L, -1, "hold_seconds")]
    [InlineData(10L, int.MinValue, "hold_seconds")]
    [InlineData(10L, 3_601, "hold_seconds")]
    [InlineData(10L, int.MaxValue, "hold_seconds")]
    public async Task ReserveRedemption_BadPointsOrHoldSeconds_InvalidArgumentNamingField(long points, int holdSeconds, string field)
    {
        var memberId = await EnrolledAsync();

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.ReserveRedemptionAsync(Reserve(memberId, NewRequestId("reserve"), points, holdSeconds), cancellationToken: Ct),
            StatusCode.InvalidArgument,
            field);
    }

    [Theory]
    [InlineData(-5L)]
    [InlineData(long.MinValue)]
    [InlineData(41L)]
    public async Task CaptureRedemption_NegativePointsOrMoreThanHeld_InvalidArgumentPoints(long points)
    {
        var memberId = await EnrolledAsync();
        var hold = await ReserveAsync(memberId, 40);

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId, points), cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "points");
    }

    [Theory]
    [InlineData("CaptureRedemption")]
    [InlineData("ReleaseRedemption")]
    public async Task HoldRpc_EmptyHoldId_InvalidArgumentHoldId(string rpc)
    {
        var memberId = await EnrolledAsync();
        await ReserveAsync(memberId, 40);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync(rpc, memberId, holdId: string.Empty), StatusCode.InvalidArgument, "hold_id");
    }

    [Theory]
    [InlineData(-1L, "amount_fen")]
    [InlineData(long.MinValue, "amount_fen")]
    [InlineData(long.MaxValue, "amount_fen")]
    public async Task Refund_BadAmount_InvalidArgumentAmountFen(long amountFen, string field)
    {
        var memberId = await EnrolledAsync();
        var purchase = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, purchase, 25_000), cancellationToken: Ct);

        await AssertRefusedUnchangedAsync(
            memberId,
            () => Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), purchase, amountFen), cancellationToken: Ct),
            StatusCode.InvalidArgument,
            field);
    }

    [Fact]
    public async Task Refund_EmptyOriginalRequestId_InvalidArgumentOriginalRequestId()
    {
        var memberId = await EnrolledAsync(25_000);

        await AssertRefusedUnchangedAsync(memberId, () => CallAsync("Refund", memberId, originalRequestId: string.Empty), StatusCode.InvalidArgument, "original_request_id");
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30")]
    [InlineData("1990-2-3")]
    [InlineData("28.02.1990")]
    [InlineData("1899-12-31")]
    [InlineData("2099-01-01")]
    public async Task EnrollMember_BadBirthday_InvalidArgumentBirthdayAndNotEnrolled(string birthday)
    {
        var memberId = NewMemberId();
        var request = Enroll(memberId);
        request.Birthday = birthday;

        await AssertRefusedAsync(() => Pos.EnrollMemberAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "birthday");

        await AssertNotEnrolledAsync(memberId);
    }

    [Fact]
    public async Task EnrollMember_EmptyRequestId_InvalidArgumentRequestIdAndNotEnrolled()
    {
        var memberId = NewMemberId();

        await AssertRefusedAsync(() => Pos.EnrollMemberAsync(Enroll(memberId, string.Empty), cancellationToken: Ct), StatusCode.InvalidArgument, "request_id");

        await AssertNotEnrolledAsync(memberId);
    }

    [Fact]
    public async Task EnrollMember_MalformedHomeStoreId_InvalidArgumentHomeStoreId()
    {
        var memberId = NewMemberId();
        var request = Enroll(memberId);
        request.HomeStoreId = "store 1\n";

        await AssertRefusedAsync(() => Pos.EnrollMemberAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "home_store_id");

        await AssertNotEnrolledAsync(memberId);
    }

    [Fact]
    public async Task EnrollMember_BadBirthdayForEnrolledMember_InvalidArgumentAndUnchanged()
    {
        var memberId = await EnrolledAsync();
        var request = Enroll(memberId);
        request.Birthday = "2024-13-01";

        await AssertRefusedUnchangedAsync(memberId, () => Pos.EnrollMemberAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "birthday");
    }

    private static T With<T>(T request, string storeId, string terminalId)
        where T : Google.Protobuf.IMessage
    {
        var descriptor = request.Descriptor;
        descriptor.FindFieldByName("store_id").Accessor.SetValue(request, storeId);
        descriptor.FindFieldByName("terminal_id").Accessor.SetValue(request, terminalId);
        return request;
    }

    private async Task AssertNotEnrolledAsync(string memberId)
    {
        await AssertRefusedAsync(() => Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct), StatusCode.NotFound, "member_id");
        Assert.Null(await Db.MemberRowAsync(memberId));
        Assert.Equal(0, await Db.LedgerCountAsync(memberId));
    }
}
