using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using MemberGrains.Silo;
using MemberGrains.Silo.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The database connection breaks in the middle of a commit. Two silos (AdoNet clustering) whose
/// member store reaches Postgres through a proxy that cuts the connection right after the server
/// committed a batch, or refuses connections: a till is told "committed" when it was, "nothing was
/// applied" only when that is known, and "outcome unknown" otherwise — never "nothing applied"
/// for a change that is in the ledger.
/// </summary>
public sealed class CommitOutcomeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CaptureRedemption_ConnectionBreaksAfterTheServerCommitted_AnsweredOkAndCountedOnce()
    {
        await using var cluster = await ProxiedClusterAsync(resolveSeconds: 30);
        var (memberId, holdId) = await MemberWithHoldAsync(cluster.First);

        cluster.Proxy.BreakAfterNextCommit();
        var capture = new CaptureRedemptionRequest { MemberId = memberId, RequestId = "cap-1", StoreId = "S2", TerminalId = "T1", HoldId = holdId };
        var captured = await cluster.Second.CaptureRedemptionAsync(capture, cancellationToken: Ct);

        Assert.Equal(1, cluster.Proxy.CommitsBroken);
        Assert.False(captured.Receipt.Replayed);
        Assert.Equal(1, await cluster.Db.LedgerRowsAsync(memberId, "cap-1"));
        Assert.Equal(captured.Receipt.Balance, await cluster.Db.LedgerSumAsync(memberId));
        Assert.Equal(captured.Receipt.Balance, (await cluster.First.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct)).Balance);
        Assert.Equal(captured.Receipt.Balance, (await cluster.Second.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct)).Balance);
        var retried = await cluster.First.CaptureRedemptionAsync(capture, cancellationToken: Ct);
        Assert.True(retried.Receipt.Replayed);
        Assert.Equal(1, await cluster.Db.LedgerRowsAsync(memberId, "cap-1"));
    }

    [Fact]
    public async Task Accrue_ConnectionBreaksAfterTheCommitAndTheDatabaseStaysUnreachable_OutcomeUnknownThenTheRetryIsReplayed()
    {
        await using var cluster = await ProxiedClusterAsync(resolveSeconds: 1);
        var memberId = await EnrolledAsync(cluster.First);

        cluster.Proxy.BreakAfterNextCommit(thenRefuse: true);
        var accrue = Purchase(memberId, "a-unknown", 30_000);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await cluster.First.AccrueAsync(accrue, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(ErrorMappingInterceptor.OutcomeUnknown, ErrorReason(refused));
        Assert.Contains("may or may not", refused.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was applied", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(1, await cluster.Db.LedgerRowsAsync(memberId, "a-unknown"));

        cluster.Proxy.Refuse(false);
        var retried = await cluster.Second.AccrueAsync(accrue, cancellationToken: Ct);
        Assert.True(retried.Receipt.Replayed);
        Assert.Equal(1, await cluster.Db.LedgerRowsAsync(memberId, "a-unknown"));
        Assert.Equal(retried.Receipt.Balance, await cluster.Db.LedgerSumAsync(memberId));
    }

    [Fact]
    public async Task Accrue_DatabaseUnreachableBeforeTheCommitIsSent_NothingAppliedThenTheRetryApplies()
    {
        await using var cluster = await ProxiedClusterAsync(resolveSeconds: 30);
        var memberId = await EnrolledAsync(cluster.First);
        var balance = (await cluster.First.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct)).Balance;

        cluster.Proxy.Refuse(true);
        cluster.ClearPools();
        var accrue = Purchase(memberId, "a-down", 30_000);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await cluster.First.AccrueAsync(accrue, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(ErrorMappingInterceptor.NotApplied, ErrorReason(refused));
        Assert.Contains("nothing was applied", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, await cluster.Db.LedgerRowsAsync(memberId, "a-down"));

        cluster.Proxy.Refuse(false);
        var retried = await cluster.Second.AccrueAsync(accrue, cancellationToken: Ct);
        Assert.False(retried.Receipt.Replayed);
        Assert.True(retried.Receipt.Balance > balance);
        Assert.Equal(1, await cluster.Db.LedgerRowsAsync(memberId, "a-down"));
    }

    private static string? ErrorReason(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    private static async Task<string> EnrolledAsync(PointOfSale.PointOfSaleClient pos)
    {
        var memberId = Make.MemberId();
        await pos.EnrollMemberAsync(new EnrollMemberRequest { MemberId = memberId, RequestId = "e-1" }, cancellationToken: Ct);
        return memberId;
    }

    private static async Task<(string MemberId, string HoldId)> MemberWithHoldAsync(PointOfSale.PointOfSaleClient pos)
    {
        var memberId = await EnrolledAsync(pos);
        await pos.AccrueAsync(Purchase(memberId, "a-1", 200_000), cancellationToken: Ct);
        var hold = await pos.ReserveRedemptionAsync(
            new ReserveRedemptionRequest { MemberId = memberId, RequestId = "r-1", StoreId = "S1", TerminalId = "T1", Points = 1_000 },
            cancellationToken: Ct);
        return (memberId, hold.HoldId);
    }

    private static AccrueRequest Purchase(string memberId, string requestId, long totalFen)
    {
        var request = new AccrueRequest { MemberId = memberId, RequestId = requestId, StoreId = "S1", TerminalId = "T1", TotalFen = totalFen };
        request.Lines.Add(new PurchaseLine { Sku = "X", Category = "grocery", Quantity = 1, AmountFen = totalFen });
        return request;
    }

    private static async Task<ProxiedCluster> ProxiedClusterAsync(int resolveSeconds)
    {
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("outcome"));
        var proxy = new PgWireProxy(db.ConnectionString);
        var clusterId = $"c-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string?>
        {
            ["MemberGrains:Clustering"] = "AdoNet",
            ["MemberGrains:ClusterId"] = clusterId,
            ["MemberGrains:ServiceId"] = clusterId,
            ["MemberGrains:Store:ResolveSeconds"] = resolveSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The proxy breaks only a member store commit; the lease's reads (every 0.1 s) and the
            // health check share its data source and pass. The program is not polled: less traffic.
            ["MemberGrains:Program:RefreshSeconds"] = "0",
        };

        // Orleans' membership uses the database directly; the members' store (loads and its writers' commits), through the proxy.
        void Proxied(IServiceCollection services)
        {
            services.AddSingleton(_ => PersistenceServiceCollectionExtensions.CreateDataSource(proxy.ConnectionString));
            services.AddKeyedSingleton(
                PersistenceServiceCollectionExtensions.WriterDataSourceKey,
                (_, _) => PersistenceServiceCollectionExtensions.CreateWriterDataSource(proxy.ConnectionString, new MemberStoreOptions().Writers));
        }
        var first = await TestSilo.StartAsync(db.ConnectionString, settings, Proxied);
        var second = await TestSilo.StartAsync(db.ConnectionString, settings, Proxied);
        return new ProxiedCluster(db, proxy, first, second, await TestKeys.CreateAsync(db.ConnectionString, ApiKeyScope.Pos));
    }

    private sealed class ProxiedCluster(Db db, PgWireProxy proxy, SiloHost firstHost, SiloHost secondHost, string key) : IAsyncDisposable
    {
        private readonly GrpcChannel _first = TestKeys.Channel(firstHost.GrpcAddress, key);
        private readonly GrpcChannel _second = TestKeys.Channel(secondHost.GrpcAddress, key);

        public Db Db { get; } = db;

        public PgWireProxy Proxy { get; } = proxy;

        public PointOfSale.PointOfSaleClient First => new(_first);

        public PointOfSale.PointOfSaleClient Second => new(_second);

        /// <summary>Drops the idle pooled connections (the shared pool and the store writers'), so the next commit has to connect (and can't).</summary>
        public void ClearPools()
        {
            foreach (var services in new[] { firstHost.App.Services, secondHost.App.Services })
            {
                services.GetRequiredService<NpgsqlDataSource>().Clear();
                services.GetRequiredKeyedService<NpgsqlDataSource>(PersistenceServiceCollectionExtensions.WriterDataSourceKey).Clear();
            }
        }

        public async ValueTask DisposeAsync()
        {
            Proxy.Refuse(false);
            _first.Dispose();
            _second.Dispose();
            await secondHost.DisposeAsync();
            await firstHost.DisposeAsync();
            await Proxy.DisposeAsync();
        }
    }
}
