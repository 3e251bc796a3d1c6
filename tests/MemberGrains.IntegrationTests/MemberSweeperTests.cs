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
        await using var s = await SweptSilo.StartAsync(intervalSeconds: 0);
        var due = await s.EnrollAsync();
        await s.EnrollAsync(); // a second member, due at the same instant
        // Flat program: welcome points expire at the end of next year; the notice is due 30 days before.
        var expiry = Assert.Single((await s.Member(due).GetAsync()).Lots).ExpiresAt;
        Assert.Equal(expiry - TimeSpan.FromDays(30), await s.Db.DueAtAsync(due));

        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await s.Sweeper.SweepOnceAsync(Ct));

        s.Time.SetUtcNow(expiry - TimeSpan.FromDays(29));
        var notices = await s.Sweeper.SweepOnceAsync(Ct);

        // Both members' welcome points expire at the same year end, so both are due; both have
        // forgotten their enrolment's answer (kept 7 days), which their touch left to the pruner.
        Assert.Equal(new SweepResult(true, 2, 2, 0, 2), notices);
        Assert.Equal(0L, await s.Db.ScalarAsync<long>("SELECT count(*) FROM member_part WHERE kind = 'request'"));
        Assert.Equal("points_expiring_soon", (await s.Db.EventsAsync(due))[^1].Kind);
        Assert.Equal(expiry, await s.Db.DueAtAsync(due));
        Assert.Equal(100, await s.Db.LedgerSumAsync(due));

        s.Time.SetUtcNow(expiry + TimeSpan.FromMinutes(1));
        var expired = await s.Sweeper.SweepOnceAsync(Ct);

        Assert.Equal(new SweepResult(true, 2, 2, 0, 0), expired);
        Assert.Equal(0, await s.Db.LedgerSumAsync(due));
        Assert.Equal(0, (await s.Db.MemberRowAsync(due))!.Value.Balance);
        Assert.Null(await s.Db.DueAtAsync(due));
        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await s.Sweeper.SweepOnceAsync(Ct));
    }

    [Fact]
    public async Task TouchAsync_StoredDueTimePassedButNothingToDo_RewritesTheDueTimeSoTheMemberIsNotDueAgain()
    {
        await using var s = await SweptSilo.StartAsync(intervalSeconds: 0);
        var id = await s.EnrollAsync();
        var noticeDue = (await s.Db.DueAtAsync(id))!.Value;
        // A due time left in the past (e.g. written under an older program): nothing is actually due.
        await s.Db.ExecuteAsync($"UPDATE member SET due_at = '2026-05-01T00:00:00Z' WHERE member_id = '{id}'");

        var sweep = await s.Sweeper.SweepOnceAsync(Ct);

        Assert.Equal(new SweepResult(true, 1, 0, 0, 0), sweep);
        Assert.Equal(noticeDue, await s.Db.DueAtAsync(id));
        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await s.Sweeper.SweepOnceAsync(Ct));
    }

    [Fact]
    public async Task Sweeper_IntervalPassesOnTheMembersClock_TouchesDueMembersByItself()
    {
        await using var s = await SweptSilo.StartAsync(intervalSeconds: 60);
        var id = await s.EnrollAsync();
        var noticeDue = (await s.Db.DueAtAsync(id))!.Value;

        // Far enough past the due time that any sweep the jump sets off sees the member due.
        s.Time.SetUtcNow(noticeDue + TimeSpan.FromMinutes(5));

        await Eventually.UntilAsync(
            $"the sweeper, woken by the clock, to touch member {id} (its due time to move past {noticeDue:O})",
            async () => await s.Db.DueAtAsync(id) != noticeDue);

        Assert.Equal("points_expiring_soon", (await s.Db.EventsAsync(id))[^1].Kind);
        Assert.True(await s.Db.DueAtAsync(id) > noticeDue);
    }

    [Fact]
    public async Task SweepOnceAsync_AnswerForgotten_PrunedOnlyAfterTheGraceEvenIfTheMemberNeverChanges()
    {
        await using var s = await SweptSilo.StartAsync(intervalSeconds: 0);
        var id = await s.EnrollAsync();
        const string Requests = "SELECT count(*) FROM member_part WHERE kind = 'request'";
        Assert.Equal(1L, await s.Db.ScalarAsync<long>(Requests));

        // The enrolment's answer is forgotten 7 days on; a silo whose clock is behind may still hold it.
        s.Time.SetUtcNow(Start + TimeSpan.FromDays(7) + MemberSweeper.PruneGrace - TimeSpan.FromMinutes(1));
        Assert.Equal(new SweepResult(true, 0, 0, 0, 0), await s.Sweeper.SweepOnceAsync(Ct));
        Assert.Equal(1L, await s.Db.ScalarAsync<long>(Requests));

        s.Time.SetUtcNow(Start + TimeSpan.FromDays(7) + MemberSweeper.PruneGrace);
        Assert.Equal(new SweepResult(true, 0, 0, 0, 1), await s.Sweeper.SweepOnceAsync(Ct));
        Assert.Equal(0L, await s.Db.ScalarAsync<long>(Requests));
        Assert.Equal(100, (await s.Member(id).GetAsync()).Balance);
    }

    [Fact]
    public async Task SweepOnceAsync_AnotherSiloIsSweeping_SkipsThisRound()
    {
        await using var s = await SweptSilo.StartAsync(intervalSeconds: 0);
        var id = await s.EnrollAsync();
        s.Time.SetUtcNow((await s.Db.DueAtAsync(id))!.Value);

        await using (var other = new NpgsqlConnection(s.Db.ConnectionString))
        {
            await other.OpenAsync(Ct);
            await using var take = new NpgsqlCommand("SELECT pg_advisory_lock(x'4D475F5357454550'::bigint)", other);
            await take.ExecuteNonQueryAsync(Ct);

            Assert.Equal(SweepResult.Skipped, await s.Sweeper.SweepOnceAsync(Ct));
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(x'4D475F5357454550'::bigint)", other);
            await release.ExecuteNonQueryAsync(Ct);
        }

        Assert.Equal(new SweepResult(true, 1, 1, 0, 1), await s.Sweeper.SweepOnceAsync(Ct));
    }

    /// <summary>A silo on a fresh database whose members' clock the test drives, and its sweeper.</summary>
    private sealed class SweptSilo(FakeTimeProvider time, Db db, SiloHost silo) : IAsyncDisposable
    {
        public FakeTimeProvider Time { get; } = time;

        public Db Db { get; } = db;

        public MemberSweeper Sweeper { get; } = silo.App.Services.GetRequiredService<MemberSweeper>();

        public static async Task<SweptSilo> StartAsync(int intervalSeconds)
        {
            var time = new FakeTimeProvider(Start);
            var db = new Db(await SharedPostgres.CreateDatabaseAsync("sweeper"));
            var silo = await TestSilo.StartAsync(
                db.ConnectionString,
                new Dictionary<string, string?> { ["MemberGrains:Sweeper:IntervalSeconds"] = intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                services => services.AddSingleton(new MemberClock(time)));
            return new SweptSilo(time, db, silo);
        }

        public IMemberGrain Member(string id) => silo.App.Services.GetRequiredService<IGrainFactory>().GetGrain<IMemberGrain>(id);

        /// <summary>Enrols a new member now; returns its id.</summary>
        public async Task<string> EnrollAsync()
        {
            var id = Make.MemberId();
            await Member(id).EnrollAsync(Make.Enroll(id));
            return id;
        }

        public ValueTask DisposeAsync() => silo.DisposeAsync();
    }
}
