using System.Globalization;
using MemberGrains.Domain;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using MemberGrains.Grains;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Silo.Demo;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The demo members a fresh development start seeds (README, "Demo members"): what the README
/// promises each one shows, read back from Postgres and shown by the domain's screen view on the
/// default program, at several instants (weekdays, month and year ends, a leap day); and seeding
/// never adds anything twice.
/// </summary>
public sealed class DemoMembersTests
{
    private static readonly StaticProgramCatalog Programs = new(DefaultProgram.Document);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Instants =>
    [
        "2026-12-02T02:00:00Z", // Wednesday 10:00 in Shanghai
        "2027-03-01T01:00:00Z", // Monday 09:00, the day after February
        "2027-01-01T00:30:00Z", // New Year's Day 08:30: last year's expiry just ran
        "2028-02-29T15:30:00Z", // a leap day, 23:30
    ];

    [Theory]
    [MemberData(nameof(Instants))]
    public async Task SeedAsync_FreshDatabase_EachMemberShowsWhatTheReadmeSays(string instant)
    {
        var now = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        var connectionString = await SharedPostgres.CreateDatabaseAsync("demo");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = Store(dataSource);
        var db = new Db(connectionString);

        var seeder = Seeder(store, dataSource, now);
        var seeded = await seeder.SeedAsync(Ct);

        Assert.Equal(DemoMembers.Members.Select(m => m.MemberId), seeded.Select(m => m.MemberId));
        Assert.All(DemoMembers.Members, m => Assert.Contains(m.MemberId, seeder.Banner(null)!, StringComparison.Ordinal));
        var screens = new Dictionary<string, MemberScreen>(StringComparer.Ordinal);
        foreach (var member in DemoMembers.Members)
        {
            var stored = await store.LoadAsync(member.MemberId, now, Ct);
            Assert.NotNull(stored);
            Assert.Equal(1, stored.Version);
            Assert.Equal(stored.State.Balance, await db.LedgerSumAsync(member.MemberId));
            screens[member.MemberId] = new MemberAccount(stored.State, Programs, AccountLimits.Default).ScreenView(now, DemoMembers.StoreId);
        }

        var newMember = screens["DEMO0001"];
        Assert.Equal(LifecycleStage.Prospect, newMember.Lifecycle);
        Assert.Contains(newMember.Offers, o => o.OfferId == "new-member-first-order" && o.AvailableFrom is null);

        var atRisk = screens["DEMO0002"];
        Assert.Equal(LifecycleStage.AtRisk, atRisk.Lifecycle);
        Assert.Contains(atRisk.Offers, o => o.OfferId == "win-back-20-off" && o.CouponId is not null && o.ValidUntil > now);
        Assert.Contains(atRisk.Offers, o => o.OfferId == "win-back-double-points");

        var platinum = screens["DEMO0003"];
        Assert.Equal(Tier.Platinum, platinum.Tier.Tier);
        Assert.Contains(platinum.Offers, o => o.OfferId == "platinum-extra-10");

        var baby = screens["DEMO0004"];
        Assert.True(baby.Personalised);
        Assert.Contains(baby.Reminders, r => r.Category == "baby formula" && r.UsualIntervalDays == 14 && r.DueInDays is >= 0 and <= 3);
        Assert.Contains(baby.Reminders, r => r.Category == "diapers");
        Assert.Contains(baby.Tags, t => t.Category == "baby formula");
        Assert.Contains(baby.Offers, o => o.OfferId == "baby-formula-gift");

        var noConsent = screens["DEMO0005"];
        var generic = DefaultProgram.Document.Offers!.Where(o => !o.Personalised).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        Assert.False(noConsent.Personalised);
        Assert.Empty(noConsent.Reminders);
        Assert.Empty(noConsent.Tags);
        Assert.All(noConsent.Offers, o => Assert.Contains(o.OfferId, generic));
        Assert.DoesNotContain(noConsent.Offers, o => o.OfferId == "baby-formula-gift");

        var birthday = screens["DEMO0006"];
        Assert.Equal(2, (await store.LoadAsync("DEMO0006", now, Ct))!.State.Activities["referral"].Total);
        Assert.Contains(birthday.Offers, o => o.OfferId == "birthday-30-off" && o.CouponId is not null);
        Assert.Contains(birthday.Offers, o => o.OfferId == "birthday-week-double-points");
        Assert.DoesNotContain(birthday.Offers, o => o.OfferId == "referral-20-off");
        db.ClearPool();
    }

    [Fact]
    public async Task SeedAsync_SecondRunAndTwoConcurrentRuns_AddNothing()
    {
        var now = new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
        var connectionString = await SharedPostgres.CreateDatabaseAsync("demo");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var first = Store(dataSource);
        await using var second = Store(dataSource);
        var db = new Db(connectionString);

        // Two silos starting at once: one seeds, the other finds the members there.
        var runs = await Task.WhenAll(Seeder(first, dataSource, now).SeedAsync(Ct), Seeder(second, dataSource, now).SeedAsync(Ct));
        var rows = await CountsAsync(db);
        // A restart a day later.
        var again = Seeder(first, dataSource, now.AddDays(1));
        var rerun = await again.SeedAsync(Ct);

        Assert.Equal(DemoMembers.Members.Count, runs.Sum(r => r.Count));
        Assert.Contains(runs, r => r.Count == 0);
        Assert.Empty(rerun);
        Assert.Equal(DemoMembers.Members, again.Present);
        Assert.Equal(rows, await CountsAsync(db));
        Assert.Equal(DemoMembers.Members.Count, rows.Members);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT max(version) FROM member"));
        db.ClearPool();
    }

    [Fact]
    public async Task SeedAsync_DatabaseWithAnotherMember_SeedsNothing()
    {
        var now = new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
        var connectionString = await SharedPostgres.CreateDatabaseAsync("demo");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = Store(dataSource);
        var db = new Db(connectionString);
        var (account, _) = MemberAccount.Enroll(new EnrollCommand("M1001", "e-1", null, "S001", false, false), Programs, AccountLimits.Default, now);
        await store.CommitAsync(MemberWrite.Create(account, new MemberParts(), 0, now), Ct);

        var seeder = Seeder(store, dataSource, now);
        var seeded = await seeder.SeedAsync(Ct);

        Assert.Empty(seeded);
        Assert.Empty(seeder.Present);
        Assert.Null(seeder.Banner(null));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM member"));
        db.ClearPool();
    }

    [Fact]
    public async Task SeedAsync_ProgramRefusingAHistory_OthersSeeded()
    {
        var now = new DateTimeOffset(2026, 12, 2, 2, 0, 0, TimeSpan.Zero);
        var connectionString = await SharedPostgres.CreateDatabaseAsync("demo");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = Store(dataSource);

        // The flat program counts one referral per member: DEMO0006's second one is refused.
        var seeded = await Seeder(store, dataSource, now, TestPrograms.FlatCatalog()).SeedAsync(Ct);

        Assert.Equal(DemoMembers.Members.Select(m => m.MemberId).Where(id => id != "DEMO0006"), seeded.Select(m => m.MemberId));
        Assert.Null(await store.LoadAsync("DEMO0006", now, Ct));
        new Db(connectionString).ClearPool();
    }

    private static DemoMembers Seeder(IMemberStore store, NpgsqlDataSource dataSource, DateTimeOffset now, IProgramCatalog? programs = null) =>
        new(store, dataSource, programs ?? Programs, AccountLimits.Default, new MemberClock(new FakeTimeProvider(now)), NullLogger<DemoMembers>.Instance);

    private static MemberStore Store(NpgsqlDataSource dataSource) =>
        new(dataSource, Options.Create(new MemberStoreOptions()), NullLogger<MemberStore>.Instance);

    private static async Task<(long Members, long Ledger, long Events, long Uses)> CountsAsync(Db db) =>
        (await db.ScalarAsync<long>("SELECT count(*) FROM member"),
         await db.ScalarAsync<long>("SELECT count(*) FROM points_ledger"),
         await db.ScalarAsync<long>("SELECT count(*) FROM member_event"),
         await db.ScalarAsync<long>("SELECT count(*) FROM offer_use"));
}
