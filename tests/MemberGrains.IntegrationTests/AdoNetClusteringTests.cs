using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using MemberGrains.Silo;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// Two real silo processes' worth of hosts (Kestrel + Orleans) clustered through the Postgres
/// membership table, as in production with <c>MemberGrains:Clustering=AdoNet</c>.
/// </summary>
public sealed class AdoNetClusteringTests
{
    [Fact]
    public async Task TwoSilos_AdoNetClustering_ShareMembersAndRegisterInPostgres()
    {
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("clustering"));
        var clusterId = $"c-{Guid.NewGuid():N}";
        await using var first = await StartSiloAsync(db, clusterId);
        await using var second = await StartSiloAsync(db, clusterId);
        var key = await TestKeys.CreateAsync(db.ConnectionString, ApiKeyScope.Pos);
        using var firstChannel = TestKeys.Channel(first.GrpcAddress, key);
        using var secondChannel = TestKeys.Channel(second.GrpcAddress, key);
        var viaFirst = new PointOfSale.PointOfSaleClient(firstChannel);
        var viaSecond = new PointOfSale.PointOfSaleClient(secondChannel);
        var ct = TestContext.Current.CancellationToken;

        var active = await db.ScalarAsync<long>(
            "SELECT COUNT(*) FROM orleans_membership WHERE deployment_id = @id AND status = 3", ("id", clusterId));
        Assert.Equal(2, active);

        // One member, reached through either silo, is one activation with one state.
        var memberId = Make.MemberId();
        await viaFirst.EnrollMemberAsync(new EnrollMemberRequest { MemberId = memberId, RequestId = "e-1" }, cancellationToken: ct);
        var accrue = new AccrueRequest { MemberId = memberId, RequestId = "a-1", StoreId = "S1", TerminalId = "T1", TotalFen = 30_000 };
        accrue.Lines.Add(new PurchaseLine { Sku = "X", Quantity = 1, AmountFen = 30_000 });
        await viaSecond.AccrueAsync(accrue, cancellationToken: ct);
        var retried = await viaFirst.AccrueAsync(accrue, cancellationToken: ct);

        Assert.True(retried.Receipt.Replayed);
        Assert.Equal(400, (await viaFirst.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: ct)).Balance);
        Assert.Equal(400, (await viaSecond.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: ct)).Balance);
        Assert.Equal(400, await db.LedgerSumAsync(memberId));
    }

    private static Task<SiloHost> StartSiloAsync(Db db, string clusterId) =>
        TestSilo.StartAsync(db.ConnectionString, new Dictionary<string, string?>
        {
            ["MemberGrains:Clustering"] = "AdoNet",
            ["MemberGrains:ClusterId"] = clusterId,
            ["MemberGrains:ServiceId"] = clusterId,
        });
}
