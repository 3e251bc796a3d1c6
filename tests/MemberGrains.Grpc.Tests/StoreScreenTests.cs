using System.Text.Json;
using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// membergrains.v1.StoreScreen through a real Kestrel host, and the same views over the silo's
/// HTTP endpoint as a browser gets them (JSON, server-sent events).
/// </summary>
[Collection(GrpcCollection.Name)]
public sealed class StoreScreenTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    private StoreScreen.StoreScreenClient Screen => new(Fixture.Channel);

    [Fact]
    public async Task GetMemberView_EnrolledMember_MaskedIdBalanceTierAndVersion()
    {
        var memberId = await EnrolledAsync(25_000);

        var view = await Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = memberId }, cancellationToken: Ct);

        Assert.Equal(memberId.Length, view.MaskedMemberId.Length);
        Assert.StartsWith(memberId[..3], view.MaskedMemberId, StringComparison.Ordinal);
        Assert.EndsWith(memberId[^2..], view.MaskedMemberId, StringComparison.Ordinal);
        Assert.Contains('*', view.MaskedMemberId);
        Assert.Equal(350, view.Balance);
        Assert.Equal(2, view.Version);
        Assert.Equal(Tier.Regular, view.Tier.Tier);
        Assert.Equal(Tier.Silver, view.Tier.NextTier);
        Assert.Equal(100_000 - 25_000, view.Tier.SpendToNextTierFen);
    }

    [Fact]
    public async Task GetMemberView_QrPayload_SameMember()
    {
        var memberId = await EnrolledAsync();

        var view = await Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = "MG:" + memberId }, cancellationToken: Ct);

        Assert.Equal(100, view.Balance);
    }

    [Fact]
    public async Task GetMemberView_UnknownMember_NotFoundMemberId() =>
        await AssertRefusedAsync(() => Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = NewMemberId() }, cancellationToken: Ct), StatusCode.NotFound, "member_id");

    [Fact]
    public async Task WatchMember_AccrueOnAnotherConnection_StreamSendsTheNewVersion()
    {
        var memberId = await EnrolledAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromSeconds(60));
        using var watch = Screen.WatchMember(new WatchMemberRequest { MemberId = memberId, MaxSeconds = 60 }, cancellationToken: cancel.Token);
        var stream = watch.ResponseStream;

        Assert.True(await stream.MoveNext(cancel.Token));
        Assert.Equal(1, stream.Current.View.Version);
        using var other = Fixture.ChannelWith(Fixture.AdminKey);
        await new PointOfSale.PointOfSaleClient(other).AccrueAsync(Accrue(memberId, NewRequestId("buy"), 30_000), cancellationToken: Ct);

        MemberView? updated = null;
        while (updated is null && await stream.MoveNext(cancel.Token))
        {
            updated = stream.Current.View;
        }

        Assert.NotNull(updated);
        Assert.Equal(2, updated.Version);
        Assert.Equal(400, updated.Balance);
    }

    [Fact]
    public async Task WatchMember_MaxSeconds_EndsCleanlyWithOk()
    {
        var memberId = await EnrolledAsync();
        using var watch = Screen.WatchMember(new WatchMemberRequest { MemberId = memberId, MaxSeconds = 1 }, cancellationToken: Ct);

        var updates = new List<MemberViewUpdate>();
        while (await watch.ResponseStream.MoveNext(Ct))
        {
            updates.Add(watch.ResponseStream.Current);
        }

        Assert.Equal(StatusCode.OK, watch.GetStatus().StatusCode);
        Assert.Equal(1, updates[0].View.Version);
    }

    [Fact]
    public async Task WatchMember_UnknownMember_NotFoundBeforeAnyView()
    {
        using var watch = Screen.WatchMember(new WatchMemberRequest { MemberId = NewMemberId() }, cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Ct));

        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public async Task WatchMember_MaxSecondsOutOfRange_InvalidArgument(int seconds)
    {
        var memberId = await EnrolledAsync();
        using var watch = Screen.WatchMember(new WatchMemberRequest { MemberId = memberId, MaxSeconds = seconds }, cancellationToken: Ct);

        var refused = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(Ct));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("max_seconds", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListHistory_PagesOfTwo_NewestFirstWithReasonsAndEveryRowOnce()
    {
        var memberId = await EnrolledAsync(10_000, 20_000);
        var hold = await ReserveAsync(memberId, 100);
        await Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), hold.HoldId), cancellationToken: Ct);

        var entries = new List<HistoryEntry>();
        var token = string.Empty;
        do
        {
            var page = await Screen.ListHistoryAsync(new ListHistoryRequest { MemberId = memberId, PageSize = 2, PageToken = token }, cancellationToken: Ct);
            Assert.True(page.Entries.Count <= 2);
            entries.AddRange(page.Entries);
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal([4L, 3L, 2L, 1L], entries.Select(e => e.Seq));
        Assert.Equal(["REDEMPTION", "PURCHASE", "PURCHASE", "ENROLMENT"], entries.Select(e => e.Reason));
        Assert.Equal(-100, entries[0].Points);
        Assert.Equal(await Db.LedgerSumAsync(memberId), entries[0].BalanceAfter);
    }

    [Fact]
    public async Task ListHistory_UnknownMemberOrBadToken_Refused()
    {
        await AssertRefusedAsync(() => Screen.ListHistoryAsync(new ListHistoryRequest { MemberId = NewMemberId() }, cancellationToken: Ct), StatusCode.NotFound, "member_id");
        var memberId = await EnrolledAsync();
        await AssertRefusedAsync(() => Screen.ListHistoryAsync(new ListHistoryRequest { MemberId = memberId, PageToken = "x" }, cancellationToken: Ct), StatusCode.InvalidArgument, "page_token");
        await AssertRefusedAsync(() => Screen.ListHistoryAsync(new ListHistoryRequest { MemberId = memberId, PageSize = 201 }, cancellationToken: Ct), StatusCode.InvalidArgument, "page_size");
    }

    [Fact]
    public async Task HttpView_EnrolledAndUnknown_JsonViewAnd404()
    {
        var memberId = await EnrolledAsync(30_000);
        using var http = new HttpClient { BaseAddress = Fixture.Host.HttpAddress };
        http.DefaultRequestHeaders.Add("x-api-key", Fixture.AdminKey);

        using var json = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/screen/api/members/{memberId}/view", UriKind.Relative), Ct));
        using var missing = await http.GetAsync(new Uri($"/screen/api/members/{NewMemberId()}/view", UriKind.Relative), Ct);

        Assert.Equal("400", json.RootElement.GetProperty("balance").GetString());
        Assert.Equal("2", json.RootElement.GetProperty("version").GetString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        using var problem = JsonDocument.Parse(await missing.Content.ReadAsStringAsync(Ct));
        Assert.Equal("NOT_FOUND", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal("member_id", problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task HttpEvents_AccrueWhileWatching_ViewEventWithTheNewVersion()
    {
        var memberId = await EnrolledAsync();
        using var http = new HttpClient { BaseAddress = Fixture.Host.HttpAddress };
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromSeconds(60));
        using var response = await http.GetAsync(new Uri($"/screen/api/members/{memberId}/events?seconds=60&key={Fixture.AdminKey}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        var first = await NextEventAsync(reader, "view", cancel.Token);
        await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 30_000), cancellationToken: Ct);
        var second = await NextEventAsync(reader, "view", cancel.Token);

        Assert.Equal("1", first.Id);
        Assert.Equal("2", second.Id);
        using var json = JsonDocument.Parse(second.Data);
        Assert.Equal("400", json.RootElement.GetProperty("balance").GetString());
    }

    private static async Task<(string Id, string Data)> NextEventAsync(StreamReader reader, string type, CancellationToken ct)
    {
        string? kind = null, id = null, data = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0)
            {
                if (kind == type && data is not null)
                {
                    return (id ?? string.Empty, data);
                }

                (kind, id, data) = (null, null, null);
                continue;
            }

            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                kind = line[7..];
            }
            else if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        throw new InvalidOperationException("The event stream ended.");
    }
}
