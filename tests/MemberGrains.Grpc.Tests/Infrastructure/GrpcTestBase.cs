using Google.Rpc;
using Grpc.Core;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Infrastructure;

/// <summary>Request builders with till defaults, and the refusal assertions every error test uses.</summary>
public abstract class GrpcTestBase(SiloHostFixture fixture)
{
    protected const string Store = "S001";
    protected const string Terminal = "T01";

    protected SiloHostFixture Fixture => fixture;

    protected PointOfSale.PointOfSaleClient Pos => fixture.Client;

    protected Db Db => fixture.Db;

    /// <summary>The members' clock now.</summary>
    protected DateTimeOffset Now => fixture.Time.GetUtcNow();

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static string NewMemberId() => $"m-{Guid.NewGuid():N}";

    protected static string NewRequestId(string kind) => $"{kind}-{Guid.NewGuid():N}";

    protected static EnrollMemberRequest Enroll(string memberId, string? requestId = null) =>
        new() { MemberId = memberId, RequestId = requestId ?? NewRequestId("enroll") };

    protected static AccrueRequest Accrue(string memberId, string requestId, long totalFen) => new()
    {
        MemberId = memberId,
        RequestId = requestId,
        StoreId = Store,
        TerminalId = Terminal,
        TotalFen = totalFen,
        Lines = { new PurchaseLine { Sku = "SKU-1", Category = "grocery", Quantity = 1, AmountFen = totalFen } },
    };

    protected static ReserveRedemptionRequest Reserve(string memberId, string requestId, long points, int holdSeconds = 0) => new()
    {
        MemberId = memberId,
        RequestId = requestId,
        StoreId = Store,
        TerminalId = Terminal,
        Points = points,
        HoldSeconds = holdSeconds,
    };

    protected static CaptureRedemptionRequest Capture(string memberId, string requestId, string holdId, long points = 0) => new()
    {
        MemberId = memberId,
        RequestId = requestId,
        StoreId = Store,
        TerminalId = Terminal,
        HoldId = holdId,
        Points = points,
    };

    protected static ReleaseRedemptionRequest Release(string memberId, string requestId, string holdId) => new()
    {
        MemberId = memberId,
        RequestId = requestId,
        StoreId = Store,
        TerminalId = Terminal,
        HoldId = holdId,
    };

    protected static RefundRequest Refund(string memberId, string requestId, string originalRequestId, long amountFen = 0) => new()
    {
        MemberId = memberId,
        RequestId = requestId,
        StoreId = Store,
        TerminalId = "T02",
        OriginalRequestId = originalRequestId,
        AmountFen = amountFen,
    };

    /// <summary>Enrols a new member (100 bonus points) and books the given purchases; returns its id.</summary>
    protected async Task<string> EnrolledAsync(params long[] purchasesFen)
    {
        var memberId = NewMemberId();
        await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);
        foreach (var fen in purchasesFen)
        {
            await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), fen), cancellationToken: Ct);
        }

        return memberId;
    }

    protected async Task<ReserveRedemptionResponse> ReserveAsync(string memberId, long points, int holdSeconds = 0) =>
        await Pos.ReserveRedemptionAsync(Reserve(memberId, NewRequestId("reserve"), points, holdSeconds), cancellationToken: Ct);

    /// <summary>Calls <paramref name="rpc"/> (a PointOfSale method name) for the member with otherwise valid arguments.</summary>
    protected Task CallAsync(string rpc, string memberId, string holdId = "H1", string originalRequestId = "no-such-purchase") => rpc switch
    {
        "EnrollMember" => Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct).ResponseAsync,
        "GetMember" => Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct).ResponseAsync,
        "Accrue" => Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 1_000), cancellationToken: Ct).ResponseAsync,
        "ReserveRedemption" => Pos.ReserveRedemptionAsync(Reserve(memberId, NewRequestId("reserve"), 10), cancellationToken: Ct).ResponseAsync,
        "CaptureRedemption" => Pos.CaptureRedemptionAsync(Capture(memberId, NewRequestId("capture"), holdId), cancellationToken: Ct).ResponseAsync,
        "ReleaseRedemption" => Pos.ReleaseRedemptionAsync(Release(memberId, NewRequestId("release"), holdId), cancellationToken: Ct).ResponseAsync,
        "Refund" => Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), originalRequestId), cancellationToken: Ct).ResponseAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not a PointOfSale method."),
    };

    protected async Task<Member> GetAsync(string memberId) =>
        await Pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId, IncludeLotsAndHolds = true }, cancellationToken: Ct);

    /// <summary>
    /// Asserts the call fails with <paramref name="code"/>, a google.rpc.Status whose BadRequest
    /// detail names exactly <paramref name="field"/>, and a message that starts with the field.
    /// </summary>
    protected static Task<RpcException> AssertRefusedAsync<T>(Func<AsyncUnaryCall<T>> call, StatusCode code, string field) =>
        AssertRefusedAsync(async () => await call(), code, field);

    /// <inheritdoc cref="AssertRefusedAsync{T}"/>
    protected static async Task<RpcException> AssertRefusedAsync(Func<Task> call, StatusCode code, string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        Assert.StartsWith(field, e.Status.Detail, StringComparison.Ordinal);
        Assert.True(
            e.Status.Detail.Length > field.Length && e.Status.Detail[field.Length] is ':' or ' ',
            $"The message should start with the field name '{field}' as a word: '{e.Status.Detail}'.");

        var status = e.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)code, status.Code);
        Assert.Equal(e.Status.Detail, status.Message);
        var badRequest = status.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        var violation = Assert.Single(badRequest.FieldViolations);
        Assert.Equal(field, violation.Field);
        Assert.False(string.IsNullOrWhiteSpace(violation.Description));
        return e;
    }

    /// <summary>
    /// <see cref="AssertRefusedAsync{T}"/>, and the member's points (as the gRPC API and as the
    /// Postgres ledger tell them) are the same after the refusal as before.
    /// </summary>
    protected Task<RpcException> AssertRefusedUnchangedAsync<T>(string memberId, Func<AsyncUnaryCall<T>> call, StatusCode code, string field) =>
        AssertRefusedUnchangedAsync(memberId, async () => await call(), code, field);

    /// <inheritdoc cref="AssertRefusedUnchangedAsync{T}"/>
    protected async Task<RpcException> AssertRefusedUnchangedAsync(string memberId, Func<Task> call, StatusCode code, string field)
    {
        var before = await GetAsync(memberId);
        var ledgerSum = await Db.LedgerSumAsync(memberId);
        var ledgerRows = await Db.LedgerCountAsync(memberId);
        var row = await Db.MemberRowAsync(memberId);
        Assert.Equal(before.Balance, ledgerSum);

        var e = await AssertRefusedAsync(call, code, field);

        var after = await GetAsync(memberId);
        Assert.Equal(before.Balance, after.Balance);
        Assert.Equal(before.Held, after.Held);
        Assert.Equal(before.Available, after.Available);
        Assert.Equal(before.Debt, after.Debt);
        Assert.Equal(before.LifetimeSpendFen, after.LifetimeSpendFen);
        Assert.Equal(before.PurchaseCount, after.PurchaseCount);
        Assert.Equal(before.Holds, after.Holds);
        Assert.Equal(ledgerSum, await Db.LedgerSumAsync(memberId));
        Assert.Equal(ledgerRows, await Db.LedgerCountAsync(memberId));
        Assert.Equal(row, await Db.MemberRowAsync(memberId));
        return e;
    }
}
