using System.Text.Json.Nodes;
using MemberGrains.Abstractions;
using MemberGrains.Domain.Rules;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// A campaign budget spent by real checkouts: members on a two-silo cluster accrue at once, each
/// purchase qualifying for a bonus-points offer whose budget is far smaller than the demand. The
/// offer is applied exactly as many times as the budget allows — never more — each application is
/// one offer_use row committed with its member change, and retried purchases don't count again.
/// </summary>
public sealed class CampaignBudgetAccrualTests
{
    private const string OfferId = "bonus-500-limited";
    private const long Total = 25;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accrue_ConcurrentPurchasesOnTwoSilosFarBeyondABudgetOf25_OfferAppliedExactly25TimesAndRetriesDoNotCount()
    {
        var programs = new StaticProgramCatalog(ProgramJson.Deserialize(TestPrograms.FlatWith(AddLimitedOffer)));
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("budgetaccrual"));
        await using var cluster = await BudgetCluster.StartAsync(db, programs: programs);
        await cluster.Repository.DefineAsync(OfferId, OfferBudgetUnit.Uses, Total, 1, cluster.Time.GetUtcNow(), Ct);
        var receipts = new List<OperationReceipt>();

        // A burst of 120 members buying at once through both silos; then, while the budget is not
        // spent, the leases' time is moved on (what a silo did not use goes back to the campaign)
        // and more members buy. Demand never stops before the budget does.
        receipts.AddRange(await WaveAsync(cluster, 120));
        for (var wave = 0; Applied(receipts) < Total && wave < 8; wave++)
        {
            cluster.Time.Advance(TimeSpan.FromSeconds(31));
            receipts.AddRange(await WaveAsync(cluster, 40));
        }

        Assert.Equal(Total, Applied(receipts));
        Assert.All(receipts.Where(Applies), r => Assert.Equal(500, r.Offers.Single(o => o.OfferId == OfferId).BonusPoints));
        Assert.Equal(Total, await db.UseRowsAsync(OfferId));
        Assert.Equal(Total, await db.ScalarAsync<long>("SELECT count(*) FROM points_ledger WHERE kind = 'Offer' AND offer_id = @o", ("o", OfferId)));
        Assert.Equal(Total * 500, await db.ScalarAsync<long>("SELECT COALESCE(sum(points), 0)::bigint FROM points_ledger WHERE kind = 'Offer' AND offer_id = @o", ("o", OfferId)));

        // Every purchase sent again is answered as it was the first time, and counts nothing more.
        var again = await Task.WhenAll(receipts.Select(r => cluster.Grains.GetGrain<IMemberGrain>(MemberOf(r)).AccrueAsync(Make.Accrue(r.RequestId, 12_000))));
        Assert.All(again, r => Assert.True(r.Replayed));
        Assert.Equal(Total, Applied(again));
        Assert.Equal(Total, await db.UseRowsAsync(OfferId));
    }

    private static async Task<OperationReceipt[]> WaveAsync(BudgetCluster cluster, int members)
    {
        var ids = Enumerable.Range(0, members).Select(_ => Make.MemberId()).ToArray();
        await Task.WhenAll(ids.Select(m => cluster.Grains.GetGrain<IMemberGrain>(m).EnrollAsync(Make.Enroll(m))));
        return await Task.WhenAll(ids.Select(m => cluster.Grains.GetGrain<IMemberGrain>(m).AccrueAsync(Make.Accrue($"buy:{m}", 12_000))));
    }

    private static string MemberOf(OperationReceipt receipt) => receipt.RequestId["buy:".Length..];

    private static bool Applies(OperationReceipt receipt) => receipt.Offers.Any(o => o.OfferId == OfferId);

    private static long Applied(IEnumerable<OperationReceipt> receipts) => receipts.Count(Applies);

    private static void AddLimitedOffer(JsonObject program) =>
        program["offers"] = new JsonArray(
            JsonNode.Parse($$"""
                {
                  "id": "{{OfferId}}", "kind": "bonusPoints", "reason": "general",
                  "title": { "en": "500 bonus points (while the campaign lasts)", "zh-CN": "额外500积分（送完即止）" },
                  "personalised": false, "stacking": "stackable", "priority": 10,
                  "basket": { "minSpendFen": 10000 },
                  "reward": { "points": 500 },
                  "budget": { "unit": "uses", "total": {{Total}} }
                }
                """));
}
