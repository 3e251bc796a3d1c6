using Grpc.Core;
using Grpc.Health.V1;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemberGrains.IntegrationTests;

/// <summary>The silo's own PostgreSQL server crashes and comes back: nothing half-applied, nothing lost.</summary>
public sealed class PostgresOutageTests
{
    [Fact]
    public async Task Accrue_PostgresDown_UnavailableThenRecoversWithMemoryEqualToPostgres()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var postgres = await EmbeddedPostgres.StartAsync(null, "membergrains", NullLogger.Instance, ct);
        await using var silo = await TestSilo.StartAsync(postgres.ConnectionString);
        using var channel = await TestKeys.AdminChannelAsync(silo);
        var pos = new PointOfSale.PointOfSaleClient(channel);
        var health = new Health.HealthClient(channel);
        var db = new Db(postgres.ConnectionString);
        var memberId = Make.MemberId();
        await pos.EnrollMemberAsync(new EnrollMemberRequest { MemberId = memberId, RequestId = "e-1" }, cancellationToken: ct);
        await pos.AccrueAsync(Purchase(memberId, "a-1", 10_000), cancellationToken: ct);

        await postgres.KillAsync();

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await pos.AccrueAsync(Purchase(memberId, "a-2", 40_000), cancellationToken: ct));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: ct)).Status);

        await postgres.RestartAsync(ct);

        var member = await RetryWhileUnavailableAsync("the member to be read once Postgres is back", () => pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: ct).ResponseAsync);
        Assert.Equal(200, member.Balance);
        Assert.Equal(1, member.PurchaseCount);
        Assert.Equal(200, await db.LedgerSumAsync(memberId));
        Assert.Equal(0, await db.LedgerRowsAsync(memberId, "a-2"));

        var retried = await pos.AccrueAsync(Purchase(memberId, "a-2", 40_000), cancellationToken: ct);
        Assert.False(retried.Receipt.Replayed);
        Assert.Equal(600, retried.Receipt.Balance);
        Assert.Equal(600, await db.LedgerSumAsync(memberId));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest(), cancellationToken: ct)).Status);
    }

    private static AccrueRequest Purchase(string memberId, string requestId, long totalFen)
    {
        var request = new AccrueRequest { MemberId = memberId, RequestId = requestId, StoreId = "S1", TerminalId = "T1", TotalFen = totalFen };
        request.Lines.Add(new PurchaseLine { Sku = "X", Quantity = 1, AmountFen = totalFen });
        return request;
    }

    private static async Task<T> RetryWhileUnavailableAsync<T>(string awaited, Func<Task<T>> call)
    {
        // Pooled connections broken by the crash fail once before Npgsql replaces them: retried
        // until a deadline, not a number of attempts, so a slow machine does not fail the test.
        T? result = default;
        RpcException? last = null;
        try
        {
            await Eventually.UntilAsync(
                awaited,
                async () =>
                {
                    try
                    {
                        result = await call();
                        return true;
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
                    {
                        last = e;
                        return false;
                    }
                });
        }
        catch (TimeoutException e) when (last is not null)
        {
            throw new TimeoutException($"{e.Message} Last answer: {last.Status}", last);
        }

        return result!;
    }
}
