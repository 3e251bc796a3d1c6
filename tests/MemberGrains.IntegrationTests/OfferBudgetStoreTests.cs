using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using static MemberGrains.IntegrationTests.Infrastructure.BudgetWrites;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// Campaign budgets in Postgres without grains: grants never exceed the total whoever asks at
/// once, offer uses are committed with their member change and only while their lease is open,
/// and closing a lease counts exactly what its uses took.
/// </summary>
public sealed class OfferBudgetStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan LeaseLength = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private NpgsqlDataSource _dataSource = null!;
    private Db _db = null!;
    private OfferBudgetRepository _budgets = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("budget");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _db = new Db(connectionString);
        _budgets = new OfferBudgetRepository(_dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _db.ClearPool();
    }

    [Fact]
    public async Task CommitAsync_UseOfAnOpenLease_StoredWithTheChangeAndCountedWhenTheLeaseCloses()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a");
        var member = Make.MemberId();

        await store.CommitAsync(EnrolWithUse(member, offer, Token(lease), amount: 2), Ct);

        Assert.Equal(1L, (await _db.MemberRowAsync(member))!.Value.Version);
        Assert.Equal(1L, await _db.UseRowsAsync(offer));
        Assert.Equal(2L, await _budgets.ReturnAsync(lease.LeaseId!.Value, T0, Ct));
        var status = (await _budgets.ReadAsync(offer, Ct))!;
        Assert.Equal((10L, 8L, 0L, 2L, 0), (status.Total, status.Available, status.Held, status.Spent, status.OpenLeases));
    }

    [Fact]
    public async Task CommitAsync_UseOfAClosedLease_NothingStoredAndOfferLeaseClosedException()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a");
        await _budgets.ReturnAsync(lease.LeaseId!.Value, T0, Ct);
        var member = Make.MemberId();

        var refused = await Assert.ThrowsAsync<OfferLeaseClosedException>(() => store.CommitAsync(EnrolWithUse(member, offer, Token(lease)), Ct));

        Assert.Equal([lease.LeaseId!.Value], refused.LeaseIds);
        Assert.Null(await _db.MemberRowAsync(member));
        Assert.Equal(0L, await _db.UseRowsAsync(offer));
        Assert.Equal(10L, (await _budgets.ReadAsync(offer, Ct))!.Available);
    }

    [Fact]
    public async Task CommitAsync_BatchWhereOneUseNamesAClosedLease_OnlyThatWriteFailsAndTheOthersCommit()
    {
        await using var store = Store(writers: 1);
        var offer = await DefineAsync(100);
        var open = await GrantAsync(offer, "silo-a", fraction: 0.5);
        var closed = await GrantAsync(offer, "silo-b", fraction: 0.5);
        await _budgets.ReturnAsync(closed.LeaseId!.Value, T0, Ct);
        var members = Enumerable.Range(0, 12).Select(_ => Make.MemberId()).ToArray();

        // Queued together, so they share a batch; the sixth names the closed lease.
        var commits = members
            .Select((id, i) => store.CommitAsync(EnrolWithUse(id, offer, Token(i == 5 ? closed : open)), Ct))
            .ToList();

        await Assert.ThrowsAsync<OfferLeaseClosedException>(() => commits[5]);
        await Task.WhenAll(commits.Where((_, i) => i != 5));
        Assert.Null(await _db.MemberRowAsync(members[5]));
        Assert.Equal(11L, await _db.UseRowsAsync(offer));
        Assert.Equal(11L, await _budgets.ReturnAsync(open.LeaseId!.Value, T0, Ct));
        Assert.Equal(89L, (await _budgets.ReadAsync(offer, Ct))!.Available);
    }

    [Fact]
    public async Task CommitAsync_RetriedRequestWritesItsUseAgain_RefusedAndCountedOnce()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a");
        var member = Make.MemberId();
        await store.CommitAsync(EnrolWithUse(member, offer, Token(lease), requestId: "r-9"), Ct);

        var again = Write(member, 1, [Use(offer, Token(lease), requestId: "r-9")]);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => store.CommitAsync(again, Ct));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
        Assert.Equal(1L, (await _db.MemberRowAsync(member))!.Value.Version);
        Assert.Equal(1L, await _db.UsedUnitsAsync(offer));
    }

    [Fact]
    public async Task ReturnAsync_WhileAUseIsBeingCommitted_WaitsForItAndCountsIt()
    {
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a");
        var member = Make.MemberId();
        await using var writer = await _dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await writer.BeginTransactionAsync(Ct);
        await InsertMemberAsync(writer, member);
        await using (var use = new NpgsqlCommand(
            "INSERT INTO offer_use (member_id, request_id, offer_id, give_back, lease_id, amount, discount_fen, bonus_points, occurred_at) VALUES ($1, 'r-1', $2, false, $3, 3, 0, 0, now())",
            writer))
        {
            use.Parameters.Add(new NpgsqlParameter { Value = member });
            use.Parameters.Add(new NpgsqlParameter { Value = offer });
            use.Parameters.Add(new NpgsqlParameter { Value = lease.LeaseId!.Value });
            await use.ExecuteNonQueryAsync(Ct);
        }

        // The use holds its lease FOR SHARE until it commits: the return waits for it.
        var returning = _budgets.ReturnAsync(lease.LeaseId!.Value, T0, Ct);
        await WaitForLockWaitAsync();
        await transaction.CommitAsync(Ct);

        Assert.Equal(3L, await returning.WaitAsync(Patience, Ct));
        Assert.Equal(7L, (await _budgets.ReadAsync(offer, Ct))!.Available);
    }

    [Fact]
    public async Task CommitAsync_UseWhileItsLeaseIsBeingClosed_WaitsForTheCloseThenRefused()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a");
        var member = Make.MemberId();
        await using var closer = await _dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await closer.BeginTransactionAsync(Ct);
        await using (var close = new NpgsqlCommand("SELECT offer_budget_return($1, now())", closer))
        {
            close.Parameters.Add(new NpgsqlParameter { Value = lease.LeaseId!.Value });
            Assert.Equal(0L, await close.ExecuteScalarAsync(Ct));
        }

        // The close holds the lease FOR UPDATE until it commits: the use waits, then finds it closed.
        var commit = store.CommitAsync(EnrolWithUse(member, offer, Token(lease)), Ct);
        await WaitForLockWaitAsync();
        await transaction.CommitAsync(Ct);

        await Assert.ThrowsAsync<OfferLeaseClosedException>(() => commit.WaitAsync(Patience, Ct));
        Assert.Null(await _db.MemberRowAsync(member));
        Assert.Equal(0L, await _db.UseRowsAsync(offer));
    }

    [Fact]
    public async Task GrantAsync_ManyConcurrentRequests_GrantExactlyTheTotalNeverMore()
    {
        const long total = 100;
        var offer = await DefineAsync(total);
        var granted = new System.Collections.Concurrent.ConcurrentBag<OfferLeaseGrant>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(
            async () =>
            {
                while (true)
                {
                    var grant = await _budgets.GrantAsync(offer, $"silo-{i}", 1 + (i % 3), 0.2, LeaseLength, Grace, T0, Ct);
                    if (grant.LeaseId is null)
                    {
                        if (grant.Available < 1)
                        {
                            return;
                        }

                        // Less is left than this one asks for; others take the rest.
                        continue;
                    }

                    Assert.True(grant.Available >= 0);
                    granted.Add(grant);
                }
            },
            Ct)));

        Assert.Equal(total, granted.Sum(g => g.Amount));
        Assert.Equal(total, await _db.ScalarAsync<long>("SELECT SUM(amount)::bigint FROM offer_budget_lease WHERE offer_id = @o AND closed_at IS NULL", ("o", offer)));
        var status = (await _budgets.ReadAsync(offer, Ct))!;
        Assert.Equal((0L, total), (status.Available, status.Held));
    }

    [Fact]
    public async Task GrantAsync_AfterALeaseLapsedPastTheGrace_ReclaimsItAndGrantsItsUnusedPart()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var crashed = await GrantAsync(offer, "silo-crashed", fraction: 1);
        await store.CommitAsync(EnrolWithUse(Make.MemberId(), offer, Token(crashed), amount: 4), Ct);
        Assert.Null((await GrantAsync(offer, "silo-b")).LeaseId);

        // Within the grace the lease is still the crashed silo's.
        Assert.Null((await GrantAsync(offer, "silo-b", at: T0 + LeaseLength + Grace)).LeaseId);
        var after = await GrantAsync(offer, "silo-b", fraction: 1, at: T0 + LeaseLength + Grace + TimeSpan.FromSeconds(1));

        Assert.Equal(6L, after.Amount);
        Assert.Equal(("reclaimed", 4L), await ClosedAsync(crashed.LeaseId!.Value));
        await Assert.ThrowsAsync<OfferLeaseClosedException>(() => store.CommitAsync(EnrolWithUse(Make.MemberId(), offer, Token(crashed)), Ct));
    }

    [Fact]
    public async Task ReclaimAsync_LapsedAndCurrentLeases_ClosesOnlyTheLapsedOnes()
    {
        var offer = await DefineAsync(10);
        var old = await GrantAsync(offer, "silo-a", at: T0);
        var current = await GrantAsync(offer, "silo-b", at: T0 + Grace);

        Assert.Equal(1, await _budgets.ReclaimAsync(offer, Grace, T0 + LeaseLength + Grace + TimeSpan.FromSeconds(1), Ct));

        Assert.Equal(("reclaimed", 0L), await ClosedAsync(old.LeaseId!.Value));
        Assert.Equal(1, (await _budgets.ReadAsync(offer, Ct))!.OpenLeases);
        Assert.Null(await _budgets.ReturnAsync(old.LeaseId!.Value, T0, Ct));
        Assert.Equal(0L, await _budgets.ReturnAsync(current.LeaseId!.Value, T0, Ct));
    }

    [Fact]
    public async Task DefineAsync_TotalLoweredBelowWhatIsSpentAndHeld_RevokesOpenLeasesAndGrantsNothingMore()
    {
        await using var store = Store();
        var offer = await DefineAsync(100, program: 1);
        var lease = await GrantAsync(offer, "silo-a", fraction: 0.5);
        await store.CommitAsync(EnrolWithUse(Make.MemberId(), offer, Token(lease), amount: 30), Ct);

        Assert.Equal(OfferBudgetDefinition.Updated, await _budgets.DefineAsync(offer, OfferBudgetUnit.Uses, 40, 2, T0, Ct));

        Assert.Equal(("revoked", 30L), await ClosedAsync(lease.LeaseId!.Value));
        await Assert.ThrowsAsync<OfferLeaseClosedException>(() => store.CommitAsync(EnrolWithUse(Make.MemberId(), offer, Token(lease)), Ct));
        var next = await GrantAsync(offer, "silo-a", fraction: 1);
        Assert.Equal(10L, next.Amount);
        Assert.Null((await GrantAsync(offer, "silo-a")).LeaseId);
    }

    [Fact]
    public async Task DefineAsync_TotalRaisedWhileLeasesAreOpen_KeepsThemAndMakesTheDifferenceAvailable()
    {
        var offer = await DefineAsync(10, program: 1);
        var lease = await GrantAsync(offer, "silo-a", fraction: 1);

        Assert.Equal(OfferBudgetDefinition.Updated, await _budgets.DefineAsync(offer, OfferBudgetUnit.Uses, 25, 2, T0, Ct));

        var status = (await _budgets.ReadAsync(offer, Ct))!;
        Assert.Equal((25L, 15L, 10L, 1), (status.Total, status.Available, status.Held, status.OpenLeases));
        Assert.Equal(0L, await _budgets.ReturnAsync(lease.LeaseId!.Value, T0, Ct));
    }

    [Fact]
    public async Task DefineAsync_OlderProgramOrAnotherUnit_TotalKept()
    {
        var offer = await DefineAsync(50, program: 3);

        Assert.Equal(OfferBudgetDefinition.Stale, await _budgets.DefineAsync(offer, OfferBudgetUnit.Uses, 5, 2, T0, Ct));
        Assert.Equal(OfferBudgetDefinition.Unchanged, await _budgets.DefineAsync(offer, OfferBudgetUnit.Uses, 50, 4, T0, Ct));
        var unit = await Assert.ThrowsAsync<PostgresException>(() => _budgets.DefineAsync(offer, OfferBudgetUnit.Money, 50, 5, T0, Ct));

        Assert.Equal(OfferBudgetRepository.UnitChangedState, unit.SqlState);
        var status = (await _budgets.ReadAsync(offer, Ct))!;
        Assert.Equal((OfferBudgetUnit.Uses, 50L), (status.Unit, status.Total));
    }

    [Fact]
    public async Task CommitAsync_GiveBack_ReturnsItsUnitsToTheCampaignButNeverMoreThanTheMemberUsed()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a", fraction: 1);
        var member = Make.MemberId();
        await store.CommitAsync(EnrolWithUse(member, offer, Token(lease), amount: 4), Ct);
        await _budgets.ReturnAsync(lease.LeaseId!.Value, T0, Ct);

        // The refund names the original (now closed) lease: give-backs are not checked against it.
        await store.CommitAsync(Write(member, 1, [Use(offer, Token(lease), amount: 3, requestId: "refund-1", giveBack: true)]), Ct);
        var tooMuch = Write(member, 2, [Use(offer, null, amount: 2, requestId: "refund-2", giveBack: true)]);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => store.CommitAsync(tooMuch, Ct));

        Assert.Equal(OfferBudgetRepository.InvalidUseState, refused.SqlState);
        Assert.Equal(2L, (await _db.MemberRowAsync(member))!.Value.Version);
        var status = (await _budgets.ReadAsync(offer, Ct))!;
        Assert.Equal((9L, 1L), (status.Available, status.Spent));
    }

    [Fact]
    public async Task CommitAsync_UseNamingAnotherOffersLease_Refused()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var other = await DefineAsync(10);
        var lease = await GrantAsync(other, "silo-a");
        var member = Make.MemberId();

        var refused = await Assert.ThrowsAsync<PostgresException>(() => store.CommitAsync(EnrolWithUse(member, offer, Token(lease)), Ct));

        Assert.Equal(OfferBudgetRepository.InvalidUseState, refused.SqlState);
        Assert.Null(await _db.MemberRowAsync(member));
    }

    [Fact]
    public async Task CommitAsync_UseOfAnOfferWithoutBudget_StoredWithoutALease()
    {
        await using var store = Store();
        var member = Make.MemberId();
        var offer = OfferId();

        await store.CommitAsync(EnrolWithUse(member, offer, token: null, amount: 0), Ct);

        Assert.Equal(1L, await _db.UseRowsAsync(offer));
        Assert.Null(await _budgets.ReadAsync(offer, Ct));
        var grant = await GrantAsync(offer, "silo-a");
        Assert.Null(grant.LeaseId);
        Assert.Null(grant.Total);
    }

    [Fact]
    public async Task ApplyAsync_BudgetScriptAppliedAgain_KeepsBudgetsLeasesAndUses()
    {
        await using var store = Store();
        var offer = await DefineAsync(10);
        var lease = await GrantAsync(offer, "silo-a");
        await store.CommitAsync(EnrolWithUse(Make.MemberId(), offer, Token(lease)), Ct);
        await _db.ExecuteAsync("UPDATE membergrains_schema SET sha256 = 'old' WHERE script = '0006_offer_budgets.sql'");

        var applied = await SchemaMigrator.ApplyAsync(_db.ConnectionString, NullLogger.Instance, Ct);

        Assert.Equal(["0006_offer_budgets.sql"], applied);
        Assert.Equal(1L, await _db.UseRowsAsync(offer));
        Assert.Equal(1L, await _budgets.ReturnAsync(lease.LeaseId!.Value, T0, Ct));
        await Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync("DELETE FROM offer_use"));
    }

    private static string Token(OfferLeaseGrant grant) => OfferLeaseToken.Format(grant.LeaseId!.Value);

    private static async Task InsertMemberAsync(NpgsqlConnection connection, string member)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO member (member_id, version, balance, tier, enrolled_at, updated_at, state) VALUES ($1, 1, 0, 'Regular', now(), now(), '{}')", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = member });
        await insert.ExecuteNonQueryAsync(Ct);
    }

    private async Task<string> DefineAsync(long total, int program = 1)
    {
        var offer = OfferId();
        Assert.Equal(OfferBudgetDefinition.Created, await _budgets.DefineAsync(offer, OfferBudgetUnit.Uses, total, program, T0, Ct));
        return offer;
    }

    private Task<OfferLeaseGrant> GrantAsync(string offer, string silo, double fraction = 0.3, DateTimeOffset? at = null) =>
        _budgets.GrantAsync(offer, silo, 1, fraction, LeaseLength, Grace, at ?? T0, Ct);

    private async Task<(string How, long Used)> ClosedAsync(long leaseId)
    {
        var how = await _db.ScalarAsync<string>("SELECT closed_how FROM offer_budget_lease WHERE lease_id = @l", ("l", leaseId));
        var used = await _db.ScalarAsync<long>("SELECT used FROM offer_budget_lease WHERE lease_id = @l", ("l", leaseId));
        return (how, used);
    }

    /// <summary>Waits until a session of this database waits for a row lock (the statement under test is blocked).</summary>
    private Task WaitForLockWaitAsync() =>
        Eventually.UntilAsync(
            "a session of this database to wait for a row lock (pg_stat_activity)",
            async () => await _db.ScalarAsync<long>("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0,
            Patience);

    private MemberStore Store(int writers = 2) =>
        new(_dataSource, Options.Create(new MemberStoreOptions { Writers = writers }), NullLogger<MemberStore>.Instance);
}
