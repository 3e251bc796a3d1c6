using MemberGrains.Abstractions;
using MemberGrains.IntegrationTests.Infrastructure;
using Orleans.Runtime;

namespace MemberGrains.IntegrationTests;

/// <summary>Killing the silo that hosts a member loses nothing it acknowledged.</summary>
public sealed class SiloCrashTests(MemberClusterFixture fixture) : IClassFixture<MemberClusterFixture>
{
    [Fact]
    public async Task Accrue_HostingSiloKilledRightAfterAck_MemberReactivatesElsewhereWithSameBalanceAndLedger()
    {
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        // The first silo is the test cluster's primary; keep it alive.
        var primary = fixture.Cluster.Silos[0].SiloAddress;
        IMemberGrain member;
        string id;
        SiloAddress? host;
        do
        {
            // Find a member living on a secondary silo, so the cluster survives the kill.
            id = Make.MemberId();
            member = fixture.Grains.GetGrain<IMemberGrain>(id);
            await member.EnrollAsync(Make.Enroll(id));
            host = await management.GetActivationAddress(member, TestContext.Current.CancellationToken);
        }
        while (host is null || host.Equals(primary));

        await member.AccrueAsync(Make.Accrue("before-crash", 10_000));
        var acknowledged = await member.AccrueAsync(Make.Accrue("crash", 77_700));
        var victim = fixture.Cluster.Silos.Single(s => s.SiloAddress.Equals(host));
        await fixture.Cluster.KillSiloAsync(victim, TestContext.Current.CancellationToken);

        var snapshot = await RetryUntilClusterHealsAsync(member.GetAsync);
        Assert.Equal(acknowledged.Balance, snapshot.Balance);
        Assert.Equal(100 + 100 + 777, snapshot.Balance);
        Assert.Equal(2, snapshot.PurchaseCount);
        Assert.NotEqual(host, await management.GetActivationAddress(member, TestContext.Current.CancellationToken));
        Assert.Equal(snapshot.Balance, await fixture.Db.LedgerSumAsync(id));
        Assert.Equal(3, await fixture.Db.LedgerCountAsync(id));

        // The till did not see the answer and retries: still counted once.
        var retried = await member.AccrueAsync(Make.Accrue("crash", 77_700));
        Assert.True(retried.Replayed);
        Assert.Equal(1, await fixture.Db.LedgerRowsAsync(id, "crash"));
    }

    private static async Task<T> RetryUntilClusterHealsAsync<T>(Func<Task<T>> call)
    {
        T? result = default;
        Exception? last = null;
        try
        {
            await Eventually.UntilAsync(
                "the member to answer again on a surviving silo after the crash",
                async () =>
                {
                    try
                    {
                        result = await call();
                        return true;
                    }
                    catch (Exception e) when (e is not MemberOperationException)
                    {
                        // Calls routed to the dead silo fail until membership declares it dead.
                        last = e;
                        return false;
                    }
                },
                TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException e) when (last is not null)
        {
            throw new TimeoutException($"{e.Message} Last failure: {last.GetType().Name}: {last.Message}", last);
        }

        return result!;
    }
}
