using MemberGrains.Abstractions;
using MemberGrains.Grains;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The sweeper in the real silo host: members whose due time passed on the members' clock are
/// touched without a call of their own, so notices and expiry happen on time.
/// </summary>
public sealed class MemberSweeperTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SweepOnceAsync_MembersDue_TouchedSoNoticeThenExpiryAreCommitted()
    {
        var time = new FakeTimeProvider(Start);
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("sweeper"));
        await using var silo = await StartAsync(db, time, intervalSeconds: 0);
        var sweeper = silo.App.Services.GetRequiredService<MemberSweeper>();
        var due = Make.MemberId();
        var later = Make.MemberId();
        await Member(silo, due).EnrollAsync(Make.Enroll(due));
        await Member(silo, later).EnrollAsync(Make.Enroll(later));
        // Flat program: welcome points expire at the end of next year; the notice is due 30 days before.
        var expiry = Assert.Single((await Member(silo, due).GetAsync()).Lots).ExpiresAt;
        Assert.Equal(expiry - TimeSpan.FromDays(30), await db.DueAtAsync(due));

        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await sweeper.SweepOnceAsync(Ct));

        time.SetUtcNow(expiry - TimeSpan.FromDays(29));
        var notices = await sweeper.SweepOnceAsync(Ct);

        // Both members' welcome points expire at the same year end, so both are due; both have
        // forgotten their enrolment's answer (kept 7 days), which their touch left to the pruner.
        Assert.Equal(new SweepResult(true, 2, 2, 0, 2), notices);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM member_part WHERE kind = 'request'"));
        Assert.Equal("points_expiring_soon", (await db.EventsAsync(due))[^1].Kind);
        Assert.Equal(expiry, await db.DueAtAsync(due));
        Assert.Equal(100, await db.LedgerSumAsync(due));

        time.SetUtcNow(expiry + TimeSpan.FromMinutes(1));
        var expired = await sweeper.SweepOnceAsync(Ct);

        Assert.Equal(new SweepResult(true, 2, 2, 0, 0), expired);
        Assert.Equal(0, await db.LedgerSumAsync(due));
        Assert.Equal(0, (await db.MemberRowAsync(due))!.Value.Balance);
        Assert.Null(await db.DueAtAsync(due));
        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await sweeper.SweepOnceAsync(Ct));
    }

    [Fact]
    public async Task TouchAsync_StoredDueTimePassedButNothingToDo_RewritesTheDueTimeSoTheMemberIsNotDueAgain()
    {
        var time = new FakeTimeProvider(Start);
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("sweeper"));
        await using var silo = await StartAsync(db, time, intervalSeconds: 0);
        var sweeper = silo.App.Services.GetRequiredService<MemberSweeper>();
        var id = Make.MemberId();
        await Member(silo, id).EnrollAsync(Make.Enroll(id));
        var noticeDue = (await db.DueAtAsync(id))!.Value;
        // A due time left in the past (e.g. written under an older program): nothing is actually due.
        await db.ExecuteAsync($"UPDATE member SET due_at = '2026-05-01T00:00:00Z' WHERE member_id = '{id}'");

        var sweep = await sweeper.SweepOnceAsync(Ct);

        Assert.Equal(new SweepResult(true, 1, 0, 0, 0), sweep);
        Assert.Equal(noticeDue, await db.DueAtAsync(id));
        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await sweeper.SweepOnceAsync(Ct));
    }

    [Fact]
    public async Task Sweeper_IntervalPassesOnTheMembersClock_TouchesDueMembersByItself()
    {
        var time = new FakeTimeProvider(Start);
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("sweeper"));
        await using var silo = await StartAsync(db, time, intervalSeconds: 60);
        var id = Make.MemberId();
        await Member(silo, id).EnrollAsync(Make.Enroll(id));
        var noticeDue = (await db.DueAtAsync(id))!.Value;

        // Far enough past the due time that any sweep the jump sets off sees the member due.
        time.SetUtcNow(noticeDue + TimeSpan.FromMinutes(5));

        await Eventually.UntilAsync(
            $"the sweeper, woken by the clock, to touch member {id} (its due time to move past {noticeDue:O})",
            async () => await db.DueAtAsync(id) != noticeDue);

        Assert.Equal("points_expiring_soon", (await db.EventsAsync(id))[^1].Kind);
        Assert.True(await db.DueAtAsync(id) > noticeDue);
    }

    [Fact]
    public async Task SweepOnceAsync_AnswerForgotten_PrunedOnlyAfterTheGraceEvenIfTheMemberNeverChanges()
    {
        var time = new FakeTimeProvider(Start);
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("sweeper"));
        await using var silo = await StartAsync(db, time, intervalSeconds: 0);
        var sweeper = silo.App.Services.GetRequiredService<MemberSweeper>();
        var id = Make.MemberId();
        await Member(silo, id).EnrollAsync(Make.Enroll(id));
        const string Requests = "SELECT count(*) FROM member_part WHERE kind = 'request'";
        Assert.Equal(1L, await db.ScalarAsync<long>(Requests));

        // The enrolment's answer is forgotten 7 days on; a silo whose clock is behind may still hold it.
        time.SetUtcNow(Start + TimeSpan.FromDays(7) + MemberSweeper.PruneGrace - TimeSpan.FromMinutes(1));
        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await sweeper.SweepOnceAsync(Ct));
        Assert.Equal(1L, await db.ScalarAsync<long>(Requests));

        time.SetUtcNow(Start + TimeSpan.FromDays(7) + MemberSweeper.PruneGrace);
        Assert.Equal(new SweepResult(true, 0, 0, 0, 1), await sweeper.SweepOnceAsync(Ct));
        Assert.Equal(0L, await db.ScalarAsync<long>(Requests));
        Assert.Equal(100, (await Member(silo, id).GetAsync()).Balance);
    }

    [Fact]
    public async Task SweepOnceAsync_AnotherSiloIsSweeping_SkipsThisRound()
    {
        var time = new FakeTimeProvider(Start);
        var db = new Db(await SharedPostgres.CreateDatabaseAsync("sweeper"));
        await using var silo = await StartAsync(db, time, intervalSeconds: 0);
        var sweeper = silo.App.Services.GetRequiredService<MemberSweeper>();
        var id = Make.MemberId();
        await Member(silo, id).EnrollAsync(Make.Enroll(id));
        time.SetUtcNow((await db.DueAtAsync(id))!.Value);

        await using (var other = new NpgsqlConnection(db.ConnectionString))
        {
            await other.OpenAsync(Ct);
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(x'4D475F5357454550'::bigint)", other);
            await take.ExecuteNonQueryAsync(Ct);

            Assert.Equal(SweepResult.Skipped, await sweeper.SweepOnceAsync(Ct));
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'4D475F5357454550'::bigint)", other);
            await release.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal(new SweepResult(true, 1, 1, 0, 1), await sweeper.SweepOnceAsync(Ct));
    }

    private static IMemberGrain Member(SiloHost silo, string id) =>
        silo.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IMemberGrain>(id);

    private static Task<SiloHost> StartAsync(Db db, FakeTimeProvider time, int intervalSeconds) =>
        TestSilo.StartAsync(
            db.ConnectionString,
            new Dictionary<string, string?> { ["MemberGrains:Sweeper:IntervalSeconds"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            services => services.AddSingleton(new MemberClock(time)));
}
