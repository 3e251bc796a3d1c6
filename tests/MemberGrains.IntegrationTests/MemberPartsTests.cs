using System.Text.Json.Nodes;
using MemberGrains.Domain;
using MemberGrains.Domain.Rules;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// Schema 0008: a member is a core document plus one row per lot, hold, purchase and answered
/// request; a change writes only the parts it touched; what is read back is the state that was
/// written, whatever the history; databases of the earlier whole-document format migrate in place.
/// </summary>
public sealed class MemberPartsTests
{
    private static readonly StaticProgramCatalog Programs = new(DefaultProgram.Document);

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 2, 0, 0, TimeSpan.Zero);

    private static readonly string[] Categories = ["grocery", "household", "fresh food", "生鲜", "baby formula"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Commit_RandomYearOfChanges_EveryReloadEqualsMemory()
    {
        await using var fixture = await StoreFixture.CreateAsync("parts");
        var life = new MemberLife("M-parts", new Random(20261203));
        await fixture.CommitAsync(life.Enroll());

        for (var step = 0; step < 400; step++)
        {
            if (life.Step() is { } write)
            {
                await fixture.CommitAsync(write);
            }

            if (step % 25 == 24)
            {
                await AssertStoredEqualsMemoryAsync(fixture, life);
            }

            if (step % 100 == 49)
            {
                // The sweeper's pruning, between changes: it never takes a part the member still has.
                await fixture.PruneAsync(life.WrittenAt);
                await AssertStoredEqualsMemoryAsync(fixture, life);
            }
        }

        // The year made the member forget answers past their retention; the writes left their rows
        // to the pruner (loads skip them meanwhile).
        await AssertStoredEqualsMemoryAsync(fixture, life);
        Assert.True(life.HoldsMade > 10, $"The sequence should have made redemption holds ({life.HoldsMade}).");
        var forgotten = await fixture.Db.ScalarAsync<long>($"SELECT count(*) FROM member_part WHERE forget_at <= '{life.WrittenAt:O}'");
        Assert.True(forgotten > 0, "The sequence should have forgotten answers past their retention since the last prune.");
        Assert.Equal(PartCount(life.Account.State) + forgotten, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part"));

        Assert.Equal(forgotten, await fixture.PruneAsync(life.WrittenAt));

        Assert.Equal(PartCount(life.Account.State), await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part"));
        await AssertStoredEqualsMemoryAsync(fixture, life);
        Assert.Equal(0, await fixture.PruneAsync(life.WrittenAt));
    }

    [Fact]
    public async Task PruneForgottenParts_RowsForgottenAtDifferentTimes_DeletesOnlyThoseDueOldestFirstUpToTheLimit()
    {
        await using var fixture = await StoreFixture.CreateAsync("parts_prune");
        var life = new MemberLife("M-prune", new Random(5));
        await fixture.CommitAsync(life.Enroll());
        for (var i = 0; i < 6; i++)
        {
            await fixture.CommitAsync(life.Buy(TimeSpan.FromDays(2)));
        }

        // The enrolment's answer is forgotten after 7 days; six purchases two days apart (each also
        // the answer to its request) after 365 days: on days 367, 369, … 377.
        const string Purchases = "SELECT string_agg(key, ',' ORDER BY forget_at) FROM member_part WHERE kind = 'purchase'";
        var purchases = (await fixture.Db.ScalarAsync<string>(Purchases)).Split(',');
        Assert.Equal(6, purchases.Length);
        Assert.Equal(0, await fixture.PruneAsync(Start + TimeSpan.FromDays(7) - TimeSpan.FromTicks(10)));
        var at = Start + TimeSpan.FromDays(370);

        // Forgotten by day 370: the enrolment's answer and the purchases of days 2 and 4, oldest first.
        Assert.Equal(1, await fixture.PruneAsync(at, max: 1));
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part WHERE kind = 'request'"));
        Assert.Equal(2, await fixture.PruneAsync(at, max: 5));
        Assert.Equal(0, await fixture.PruneAsync(at));
        Assert.Equal(string.Join(',', purchases.Skip(2)), await fixture.Db.ScalarAsync<string>(Purchases));
    }

    [Fact]
    public async Task Commit_PartsStoredBeforeForgetAtExisted_TheMembersOwnWriteDeletesThemWhenForgotten()
    {
        await using var fixture = await StoreFixture.CreateAsync("parts_0008");
        var life = new MemberLife("M-0008", new Random(9));
        await fixture.CommitAsync(life.Enroll());
        for (var i = 0; i < 5; i++)
        {
            await fixture.CommitAsync(life.Buy(TimeSpan.FromDays(1)));
        }

        await fixture.CommitAsync(life.Reserve(TimeSpan.FromHours(1)));
        await fixture.CommitAsync(life.ReleaseLastHold(TimeSpan.FromMinutes(1)));

        // Rows as schema 0008 wrote them: no forget_at. The pruner cannot see them, so the member deletes them itself.
        await fixture.Db.ExecuteAsync("UPDATE member_part SET forget_at = NULL");
        var stored = await fixture.Store.LoadAsync(life.MemberId, life.Now, Ct);
        var reloaded = new MemberLife(life.MemberId, new Random(10), stored, life.Now);

        // A change while every old part is still remembered: it rewrites none of them, so their rows keep no forget_at.
        var first = reloaded.Buy(TimeSpan.FromHours(1));
        Assert.DoesNotContain(first.Parts.Upserts, p => p.Kind is MemberParts.Hold or MemberParts.Request || (p.Kind == MemberParts.Purchase && p.Key != first.Ledger[0].RequestId));
        await fixture.CommitAsync(first);
        var write = reloaded.Buy(TimeSpan.FromDays(366));

        Assert.Contains(write.Parts.Deletes, d => d.Kind == MemberParts.Purchase);
        Assert.Contains(write.Parts.Deletes, d => d.Kind == MemberParts.Hold);
        Assert.Contains(write.Parts.Deletes, d => d.Kind == MemberParts.Request);
        await fixture.CommitAsync(write);

        // Nothing from before 0009 is left to be loaded back; the purchase written after the reload
        // (with its forget_at, forgotten by now as well) waits for the pruner.
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part WHERE forget_at IS NULL AND kind <> 'lot'"));
        await AssertStoredEqualsMemoryAsync(fixture, reloaded);
        Assert.Equal(1, await fixture.PruneAsync(reloaded.Now));
        Assert.Equal(PartCount(reloaded.Account.State), await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part"));
    }

    [Fact]
    public void Advance_PurchaseOnMemberWithFiftyPurchases_WritesOnlyItsLotPurchaseAndAnswer()
    {
        var life = new MemberLife("M-history", new Random(7));
        life.Enroll();
        for (var i = 0; i < 50; i++)
        {
            life.Buy(TimeSpan.FromDays(3));
        }

        var before = life.Account.State.Purchases.Count;
        var write = life.Buy(TimeSpan.FromHours(5));

        Assert.Equal(before + 1, life.Account.State.Purchases.Count);
        Assert.Empty(write.Parts.Deletes);
        // An accrual's answer is its purchase record (kept for refunds, it also answers retries).
        Assert.Equal([MemberParts.Lot, MemberParts.Purchase], write.Parts.Upserts.Select(p => p.Kind).Order());
        Assert.Contains(write.Parts.Upserts, p => p.Kind == MemberParts.Purchase && p.Key == write.Ledger[0].RequestId);
        // The core document does not grow with history: it is a small fraction of the whole state.
        var whole = MemberStateJson.Serialize(life.Account.State).Length;
        Assert.True(write.StateJson.Length * 5 < whole, $"core {write.StateJson.Length} chars of a whole {whole}");
        var core = JsonNode.Parse(write.StateJson)!.AsObject();
        Assert.All(new[] { "lots", "holds", "purchases", "requests" }, name => Assert.False(core.ContainsKey(name), name));
    }

    [Fact]
    public void Advance_PartialRefundOfAnOldPurchase_WritesThatPurchaseOnlyAndOnEveryRefund()
    {
        var life = new MemberLife("M-refund", new Random(8));
        life.Enroll();
        var original = life.Buy(TimeSpan.FromDays(1)).Ledger[0].RequestId;
        for (var i = 0; i < 5; i++)
        {
            life.Buy(TimeSpan.FromDays(1));
        }

        for (var refund = 0; refund < 2; refund++)
        {
            var write = life.Refund(original, 100, TimeSpan.FromHours(1));

            var purchase = Assert.Single(write.Parts.Upserts, p => p.Kind == MemberParts.Purchase);
            Assert.Equal(original, purchase.Key);
            Assert.Equal(100 * (refund + 1), JsonNode.Parse(purchase.Json)!["refundedFen"]!.GetValue<long>());
        }
    }

    [Fact]
    public void Combine_PartWrittenThenRemoved_IsDeletedAndALaterWriteWins()
    {
        var key = new PartKey(MemberParts.Hold, "H1");
        var first = new PartChanges([new StoredPart(MemberParts.Hold, "H1", "{\"v\":1}", null), new StoredPart(MemberParts.Lot, "3", "{\"v\":1}", null)], []);
        var second = new PartChanges([new StoredPart(MemberParts.Lot, "3", "{\"v\":2}", null)], [key]);

        var combined = PartChanges.Combine([first, second]);

        Assert.Equal([key], combined.Deletes);
        Assert.Equal("{\"v\":2}", Assert.Single(combined.Upserts).Json);
    }

    [Fact]
    public async Task Migrate_WholeDocumentDatabase_SplitsEveryMemberAndKeepsBalanceLedgerAndState()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("parts_migration", applySchema: false);
        var db = new Db(connectionString);
        await db.ExecuteAsync("CREATE TABLE membergrains_schema (script text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        foreach (var (name, sql) in SchemaMigrator.Scripts.Where(s => string.CompareOrdinal(s.Name, "0008") < 0))
        {
            await db.ExecuteAsync(sql);
            await db.ExecuteAsync($"INSERT INTO membergrains_schema (script, sha256) VALUES ('{name}', '{Sha(sql)}')");
        }

        var members = new List<MemberLife>();
        for (var m = 0; m < 3; m++)
        {
            var life = new MemberLife($"M-old-{m}", new Random(m));
            life.Enroll();
            for (var step = 0; step < 60 + (m * 40); step++)
            {
                life.Step();
            }

            members.Add(life);
            await InsertWholeDocumentAsync(db, life);
        }

        var ledgerBefore = await db.ScalarAsync<string>("SELECT string_agg(member_id || ':' || seq || ':' || points || ':' || balance_after, ',' ORDER BY member_id, seq) FROM points_ledger");

        var applied = await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, Ct);

        Assert.Equal(["0008_member_parts.sql", "0009_part_forget_at.sql"], applied);
        Assert.Equal(ledgerBefore, await db.ScalarAsync<string>("SELECT string_agg(member_id || ':' || seq || ':' || points || ':' || balance_after, ',' ORDER BY member_id, seq) FROM points_ledger"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM member WHERE state_format <> 2 OR state ?| array['lots', 'holds', 'purchases', 'requests']"));
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var store = Store(dataSource);
        foreach (var life in members)
        {
            var stored = await store.LoadAsync(life.MemberId, life.Now, Ct);
            Assert.NotNull(stored);
            AssertSameState(life.Account.State, stored.State);
            Assert.Equal(life.Version, stored.Version);
            Assert.Equal((life.Account.State.Balance, life.Version), await db.MemberRowAsync(life.MemberId));

            // The split wrote each part as this code writes it: nothing is rewritten by the next change.
            var unchanged = stored.Parts.Advance(stored.State, AccountLimits.Default, life.Now);
            Assert.Empty(unchanged.Upserts);
            Assert.Empty(unchanged.Deletes);
        }
    }

    [Fact]
    public async Task Load_WholeDocumentWrittenAfterMigration_ReadsItAndTheNextWriteStoresItsParts()
    {
        await using var fixture = await StoreFixture.CreateAsync("parts_legacy");
        var life = new MemberLife("M-legacy", new Random(11));
        life.Enroll();
        for (var step = 0; step < 40; step++)
        {
            life.Step();
        }

        // A row as a silo of the whole-document format wrote it (state_format 1): readable as such.
        await InsertWholeDocumentAsync(fixture.Db, life, format: 1);
        var stored = await fixture.Store.LoadAsync(life.MemberId, life.Now, Ct);
        Assert.NotNull(stored);
        AssertSameState(life.Account.State, stored.State);

        var reloaded = new MemberLife(life.MemberId, new Random(12), stored, life.Now);
        var write = reloaded.Buy(TimeSpan.FromHours(1));
        await fixture.CommitAsync(write);

        Assert.Equal(PartCount(reloaded.Account.State), await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part"));
        await AssertStoredEqualsMemoryAsync(fixture, reloaded);
    }

    [Fact]
    public async Task Commit_MemberWithThousandsOfParts_StoresThemInOneWriteAndReadsThemBack()
    {
        // More history than a batch holds writes: a whole-document member with 1,500 purchases
        // kept for refunds (and their lots) gets all its parts stored by its first change.
        await using var fixture = await StoreFixture.CreateAsync("parts_many");
        var life = new MemberLife("M-many", new Random(3));
        life.Enroll();
        for (var i = 0; i < 1_500; i++)
        {
            life.Buy(TimeSpan.FromMinutes(20));
        }

        await InsertWholeDocumentAsync(fixture.Db, life, format: 1);
        var stored = await fixture.Store.LoadAsync(life.MemberId, life.Now, Ct);
        var reloaded = new MemberLife(life.MemberId, new Random(4), stored, life.Now);
        var write = reloaded.Buy(TimeSpan.FromMinutes(20));
        var state = reloaded.Account.State;
        Assert.Equal(PartCount(state), write.Parts.Upserts.Count);
        Assert.True(state.Purchases.Count > 1_500, $"{state.Purchases.Count} purchases kept");

        await fixture.CommitAsync(write);

        Assert.Equal(write.Parts.Upserts.Count, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM member_part"));
        await AssertStoredEqualsMemoryAsync(fixture, reloaded);
    }

    private static long PartCount(MemberState state) => state.Lots.Count + state.Holds.Count + state.Purchases.Count + state.Requests.Count;

    private static async Task AssertStoredEqualsMemoryAsync(StoreFixture fixture, MemberLife life)
    {
        var stored = await fixture.Store.LoadAsync(life.MemberId, life.WrittenAt, Ct);
        Assert.NotNull(stored);
        Assert.Equal(life.Version, stored.Version);
        AssertSameState(life.Account.State, stored.State);
    }

    private static void AssertSameState(MemberState expected, MemberState actual)
    {
        var want = JsonNode.Parse(MemberStateJson.Serialize(expected));
        var got = JsonNode.Parse(MemberStateJson.Serialize(actual));
        if (!JsonNode.DeepEquals(want, got))
        {
            var differences = want!.AsObject().Where(p => !JsonNode.DeepEquals(p.Value, got![p.Key])).Select(p => $"{p.Key}:\n  memory {p.Value?.ToJsonString()}\n  stored {got![p.Key]?.ToJsonString()}");
            Assert.Fail($"Stored state differs from memory in {string.Join("\n", differences)}");
        }

        // Lots are spent in list order: the order must come back too (DeepEquals compares arrays in order).
        Assert.Equal(expected.Lots.Select(l => l.Id), actual.Lots.Select(l => l.Id));
    }

    private static async Task InsertWholeDocumentAsync(Db db, MemberLife life, short format = 1)
    {
        var state = life.Account.State;
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var member = new NpgsqlCommand(
            format == 1 && await HasFormatColumnAsync(connection)
                ? "INSERT INTO member (member_id, version, balance, tier, enrolled_at, updated_at, state, state_format) VALUES ($1, $2, $3, $4, $5, now(), $6::jsonb, 1)"
                : "INSERT INTO member (member_id, version, balance, tier, enrolled_at, updated_at, state) VALUES ($1, $2, $3, $4, $5, now(), $6::jsonb)",
            connection);
        member.Parameters.Add(new NpgsqlParameter { Value = state.MemberId });
        member.Parameters.Add(new NpgsqlParameter { Value = life.Version });
        member.Parameters.Add(new NpgsqlParameter { Value = state.Balance });
        member.Parameters.Add(new NpgsqlParameter { Value = state.Tier.ToString() });
        member.Parameters.Add(new NpgsqlParameter { Value = state.EnrolledAt.UtcDateTime });
        member.Parameters.Add(new NpgsqlParameter { Value = MemberStateJson.Serialize(state) });
        await member.ExecuteNonQueryAsync(Ct);
        foreach (var entry in life.Ledger)
        {
            await using var row = new NpgsqlCommand(
                "INSERT INTO points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                connection);
            foreach (var value in new object[] { state.MemberId, entry.Seq, entry.RequestId, entry.Kind.ToString(), entry.Points, entry.BalanceAfter, entry.ProgramVersion, entry.StoreId, entry.TerminalId, entry.At.UtcDateTime })
            {
                row.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await row.ExecuteNonQueryAsync(Ct);
        }
    }

    private static async Task<bool> HasFormatColumnAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("SELECT count(*) FROM information_schema.columns WHERE table_name = 'member' AND column_name = 'state_format'", connection);
        return (long)(await command.ExecuteScalarAsync(Ct))! > 0;
    }

    private static string Sha(string sql) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql)));

    private static MemberStore Store(NpgsqlDataSource dataSource) =>
        new(dataSource, Options.Create(new MemberStoreOptions()), NullLogger<MemberStore>.Instance);

    /// <summary>A real store on a fresh database.</summary>
    private sealed class StoreFixture : IAsyncDisposable
    {
        private readonly NpgsqlDataSource _dataSource;

        private StoreFixture(string connectionString)
        {
            Db = new Db(connectionString);
            _dataSource = NpgsqlDataSource.Create(connectionString);
            Store = MemberPartsTests.Store(_dataSource);
        }

        public Db Db { get; }

        public MemberStore Store { get; }

        public static async Task<StoreFixture> CreateAsync(string purpose) => new(await SharedPostgres.CreateDatabaseAsync(purpose));

        public Task CommitAsync(MemberWrite write) => Store.CommitAsync(write, Ct);

        /// <summary>The sweeper's pruning of parts forgotten at or before <paramref name="now"/>, as one statement.</summary>
        public async Task<int> PruneAsync(DateTimeOffset now, int max = 100_000)
        {
            await using var session = await MemberSweepSession.TryOpenAsync(_dataSource, Ct);
            Assert.NotNull(session);
            return await session.PruneForgottenPartsAsync(now, max, Ct);
        }

        public async ValueTask DisposeAsync()
        {
            await Store.DisposeAsync();
            await _dataSource.DisposeAsync();
            Db.ClearPool();
        }
    }

    /// <summary>
    /// One member driven through the real domain by a seeded random sequence (purchases, partial
    /// refunds, redemptions held, captured, released or left to lapse, activities, the sweeper's
    /// touches) over about a year, producing the writes the grain would make.
    /// </summary>
    private sealed class MemberLife
    {
        private readonly Random _random;
        private readonly List<string> _openHolds = [];
        private DateTimeOffset _now = Start;
        private MemberParts _parts = new();
        private int _next;

        // Request ids of a member reloaded from Postgres must not collide with its earlier ones.
        private string _tag = string.Empty;

        public MemberLife(string memberId, Random random, StoredMember? stored = null, DateTimeOffset? now = null)
        {
            MemberId = memberId;
            _random = random;
            if (stored is not null)
            {
                Account = new MemberAccount(stored.State, Programs, AccountLimits.Default);
                Version = stored.Version;
                _parts = stored.Parts;
                _now = now ?? Start;
                _tag = "-reloaded";
                WrittenAt = _now;
            }
        }

        public string MemberId { get; }

        /// <summary>The instant of the last step (a refused step moves time on too).</summary>
        public DateTimeOffset Now => _now;

        /// <summary>
        /// The instant of the last write: memory is the state as of then (a part it would forget
        /// later is still there until its next change; its lookups check the retention themselves).
        /// </summary>
        public DateTimeOffset WrittenAt { get; private set; }

        public MemberAccount Account { get; private set; } = null!;

        public long Version { get; private set; }

        /// <summary>Redemption holds the random steps set up (each later captured, released or left to lapse).</summary>
        public int HoldsMade { get; private set; }

        /// <summary>Every ledger row written so far.</summary>
        public List<LedgerEntry> Ledger { get; } = [];

        public MemberWrite Enroll()
        {
            (Account, _) = MemberAccount.Enroll(new EnrollCommand(MemberId, "enrol", new DateOnly(1990, 6, 11), "上海01", true, true), Programs, AccountLimits.Default, _now);
            return Write();
        }

        public MemberWrite Buy(TimeSpan after)
        {
            _now += after;
            Account.Accrue(Purchase(), _now);
            return Write();
        }

        /// <summary>Sets 100 points aside (the default program's redemption step).</summary>
        public MemberWrite Reserve(TimeSpan after)
        {
            _now += after;
            Account.Reserve(new ReserveCommand(Id("h"), "S001", "T1", 100, TimeSpan.FromMinutes(10), BasketFen: 100_000), _now);
            _openHolds.Add(Account.State.Holds.Values.MaxBy(h => h.CreatedAt)!.HoldId);
            return Write();
        }

        public MemberWrite ReleaseLastHold(TimeSpan after)
        {
            _now += after;
            Account.Release(new ReleaseCommand(Id("r"), "S001", "T1", _openHolds[^1]), _now);
            _openHolds.RemoveAt(_openHolds.Count - 1);
            return Write();
        }

        public MemberWrite Refund(string originalRequestId, long amountFen, TimeSpan after)
        {
            _now += after;
            Account.Refund(new RefundCommand(Id("f"), "S001", "T1", originalRequestId, amountFen), _now);
            return Write();
        }

        /// <summary>One random change (null when the domain refused it: nothing changed).</summary>
        public MemberWrite? Step()
        {
            _now += TimeSpan.FromMinutes(_random.Next(30, 60 * 40));
            try
            {
                switch (_random.Next(20))
                {
                    case < 9:
                        Account.Accrue(Purchase(), _now);
                        break;
                    case < 11 when Account.State.Purchases.Count > 0:
                        var purchases = Account.State.Purchases.Values.Where(p => p.PaidFen > p.RefundedFen).ToList();
                        if (purchases.Count == 0)
                        {
                            return null;
                        }

                        var refunded = purchases[_random.Next(purchases.Count)];
                        Account.Refund(new RefundCommand(Id("f"), "S001", "T1", refunded.RequestId, Math.Max(1, (refunded.PaidFen - refunded.RefundedFen) / 2)), _now);
                        break;
                    case < 13:
                        Account.Reserve(new ReserveCommand(Id("h"), "S001", "T1", Math.Max(1, Account.State.Balance / 300) * 100, TimeSpan.FromMinutes(10), BasketFen: Math.Max(1, Account.State.Balance / 300) * 200), _now);
                        _openHolds.Add(Account.State.Holds.Values.MaxBy(h => h.CreatedAt)!.HoldId);
                        HoldsMade++;
                        break;
                    case < 15 when _openHolds.Count > 0:
                        var holdId = _openHolds[^1];
                        _openHolds.RemoveAt(_openHolds.Count - 1);
                        if (!Account.State.Holds.TryGetValue(holdId, out var hold))
                        {
                            return null; // lapsed and forgotten a day later
                        }

                        if (_random.Next(2) == 0)
                        {
                            Account.Capture(new CaptureCommand(Id("c"), "S001", "T1", hold.HoldId, hold.Points), _now);
                        }
                        else
                        {
                            Account.Release(new ReleaseCommand(Id("r"), "S001", "T1", hold.HoldId), _now);
                        }

                        break;
                    case < 16:
                        Account.RecordActivity(new ActivityCommand(Id("a"), "S001", "T1", "review", Id("ref")), _now);
                        break;
                    default:
                        if (!Account.Touch(_now))
                        {
                            return null;
                        }

                        break;
                }
            }
            catch (DomainException)
            {
                // Refusals are raised before anything changes.
                return null;
            }

            return Write();
        }

        private AccrueCommand Purchase()
        {
            var lines = Enumerable.Range(0, _random.Next(1, 4))
                .Select(i => new PurchaseLine($"sku-{i}", Categories[_random.Next(Categories.Length)], _random.Next(1, 4), _random.Next(500, 40_000)))
                .ToList();
            return new AccrueCommand(Id("p"), "上海01", "T1", lines.Sum(l => l.AmountFen), lines);
        }

        private string Id(string prefix) => $"{prefix}{_tag}-{++_next}";

        private MemberWrite Write()
        {
            var write = MemberWrite.Create(Account, _parts, Version, _now);
            WrittenAt = _now;
            Account.DrainOfferUses(); // offer_use rows are not what this test is about (OfferBudgetStoreTests)
            Version = write.NewVersion;
            Ledger.AddRange(write.Ledger);
            return write;
        }
    }
}
