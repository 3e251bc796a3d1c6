using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// The hostile inputs the fuzz runs found or are about, as fixed cases: invalid UTF-8, NUL and
/// right-to-left overrides refused naming the field, Chinese store ids and categories accepted and
/// stored NFC-normalised, sums past long.MaxValue refused, oversized messages RESOURCE_EXHAUSTED.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class HostileInputTests(AdminHostFixture fixture) : GrpcTestBase(fixture)
{
    public static TheoryData<string> PointOfSaleRpcs()
    {
        var data = new TheoryData<string>();
        foreach (var method in PointOfSale.Descriptor.Methods)
        {
            data.Add(method.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PointOfSaleRpcs))]
    public async Task AnyRpc_MemberIdNotUtf8_InvalidArgument(string rpc)
    {
        // member_id (field 1 of every PointOfSale request) = 0xC3 0x28: a two-byte sequence cut short.
        var method = PointOfSale.Descriptor.FindMethodByName(rpc);

        var outcome = await new FuzzClient(Fixture.Channel).SendAsync(method, Wire.Field(1, [0xC3, 0x28]), Ct);

        Assert.True(outcome.Code == StatusCode.InvalidArgument, $"{rpc} with member_id 0xC3 0x28 answered {outcome}");
        Assert.False(string.IsNullOrWhiteSpace(outcome.Message));
        Assert.Null(AnswerCheck.Leak(outcome.Message));
        Assert.All(outcome.Violations, v => Assert.Equal("member_id", v.Field));
    }

    [Theory]
    [InlineData("published_by", "ops\0team")]
    [InlineData("published_by", "\0")]
    [InlineData("note", "summer\0campaign")]
    [InlineData("note", "\0")]
    public async Task PublishProgram_NulInTextField_InvalidArgumentNamingItAndNothingStored(string field, string value)
    {
        var request = new PublishProgramRequest { DocumentJson = TestPrograms.FlatJson, PublishedBy = "ops", Note = "summer" };
        PublishProgramRequest.Descriptor.FindFieldByName(field).Accessor.SetValue(request, value);

        await AssertPublishRefusedAsync(request, field);
    }

    [Fact]
    public async Task PublishProgram_PublishedByOfHalfAMegabyte_InvalidArgumentPublishedByAndNothingStored()
    {
        // Half the receive limit: the message is read, and the field is refused for its length.
        var request = new PublishProgramRequest { DocumentJson = TestPrograms.FlatJson, PublishedBy = new string('p', 1 << 19) };

        await AssertPublishRefusedAsync(request, "published_by");
    }

    [Fact]
    public async Task Accrue_ChineseStoreIdAndCategoriesWithSpace_Accepted()
    {
        var memberId = await EnrolledAsync();
        var request = new AccrueRequest
        {
            MemberId = memberId,
            RequestId = NewRequestId("buy"),
            StoreId = "上海01",
            TerminalId = Terminal,
            TotalFen = 30_000,
            Lines =
            {
                new PurchaseLine { Sku = "SKU-1", Category = "生鲜", Quantity = 1, AmountFen = 20_000 },
                new PurchaseLine { Sku = "SKU-2", Category = "baby food", Quantity = 2, AmountFen = 10_000 },
            },
        };

        var receipt = (await Pos.AccrueAsync(request, cancellationToken: Ct)).Receipt;

        // The flat program: 1 point per CNY on top of the 100 for enrolling.
        Assert.Equal((300L, 400L), (receipt.Points, receipt.Balance));
        Assert.Equal(400, await Db.LedgerSumAsync(memberId));
        Assert.Equal("上海01", await Db.ScalarAsync<string>(
            "SELECT store_id FROM points_ledger WHERE member_id = @id AND request_id = @rid",
            ("id", memberId),
            ("rid", request.RequestId)));
    }

    [Theory]
    [InlineData("S\u202E001")]
    [InlineData("\u202E")]
    [InlineData("S001\u202E")]
    public async Task Accrue_StoreIdWithRightToLeftOverride_InvalidArgumentStoreIdAndUnchanged(string storeId)
    {
        var memberId = await EnrolledAsync(10_000);
        var request = Accrue(memberId, NewRequestId("buy"), 1_000);
        request.StoreId = storeId;

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "store_id");
    }

    [Fact]
    public async Task EnrollMember_DecomposedHomeStoreId_StoredNfcNormalised()
    {
        var memberId = NewMemberId();
        var request = Enroll(memberId);
        request.HomeStoreId = "Zu\u0308rich3";

        await Pos.EnrollMemberAsync(request, cancellationToken: Ct);

        Assert.Equal("Z\u00FCrich3", (await GetAsync(memberId)).HomeStoreId);
    }

    [Fact]
    public async Task Accrue_LineAmountsWrappingPastInt64ToTheTotal_InvalidArgumentAndUnchanged()
    {
        // long.MaxValue + long.MaxValue + 1002 wraps around to 1000 = total_fen.
        var memberId = await EnrolledAsync(10_000);
        var request = Accrue(memberId, NewRequestId("buy"), 1_000);
        request.Lines.Clear();
        request.Lines.Add(new PurchaseLine { Sku = "SKU-1", Quantity = 1, AmountFen = long.MaxValue });
        request.Lines.Add(new PurchaseLine { Sku = "SKU-2", Quantity = 1, AmountFen = long.MaxValue });
        request.Lines.Add(new PurchaseLine { Sku = "SKU-3", Quantity = 1, AmountFen = 1_002 });
        var before = await MemberSnapshot.TakeAsync(Pos, Db, memberId, Ct);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await Pos.AccrueAsync(request, cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var field = Assert.Single(e.GetRpcStatus()!.GetDetail<Google.Rpc.BadRequest>()!.FieldViolations).Field;
        Assert.Contains(field, new[] { "total_fen", "lines", "lines[0].amount_fen", "lines[1].amount_fen", "lines[2].amount_fen" });
        Assert.Equal(before, await MemberSnapshot.TakeAsync(Pos, Db, memberId, Ct));
    }

    [Fact]
    public async Task Accrue_MessageOverTheReceiveLimit_ResourceExhaustedAndUnchanged()
    {
        var memberId = await EnrolledAsync(10_000);
        var valid = Accrue(memberId, NewRequestId("buy"), 1_000).ToByteArray();
        var before = await MemberSnapshot.TakeAsync(Pos, Db, memberId, Ct);

        var outcome = await new FuzzClient(Fixture.Channel).SendAsync(
            PointOfSale.Descriptor.FindMethodByName("Accrue"),
            [.. valid, .. Wire.Field(100, new byte[RawFuzzer.ReceiveLimit + 1])],
            Ct);

        Assert.True(outcome.Code == StatusCode.ResourceExhausted, $"answered {outcome}");
        Assert.Null(AnswerCheck.Leak(outcome.Message));
        Assert.Equal(before, await MemberSnapshot.TakeAsync(Pos, Db, memberId, Ct));
    }

    private async Task AssertPublishRefusedAsync(PublishProgramRequest request, string field)
    {
        // ListPrograms read without the 4 MB receive limit: what a server that accepts 1 MB
        // published_by values has stored before can make its answer bigger than that.
        using var channel = Fixture.ChannelWith(Fixture.AdminKey, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var observer = new Admin.AdminClient(channel);
        var before = await observer.ListProgramsAsync(new ListProgramsRequest(), cancellationToken: Ct);

        await AssertRefusedAsync(() => Fixture.Admin.PublishProgramAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, field);

        Assert.Equal(before, await observer.ListProgramsAsync(new ListProgramsRequest(), cancellationToken: Ct));
    }
}
