using MemberGrains.Domain;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The member store's events and due times, and the outbox reader, on a real Postgres without
/// grains: writes are built by hand so every case (stale writes, late commits) can be forced.
/// </summary>
public sealed class MemberStoreOutboxTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 2, 0, 0, TimeSpan.Zero);

    private NpgsqlDataSource _dataSource = null!;
    private Db _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("outbox");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _db = new Db(connectionString);
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task CommitAsync_NewThenChangedMember_EventsAndDueTimeStoredWithTheRow()
    {
        await using var store = Store();
        var id = Make.MemberId();
        var firstDue = T0.AddDays(30);

        await store.CommitAsync(Write(id, 0, [Event(1, EventKinds.Enrolled), Event(2, EventKinds.BirthdayWeekStarted)], firstDue), Ct);
        Assert.Equal(firstDue, await _db.DueAtAsync(id));
        await store.CommitAsync(Write(id, 1, [Event(3, EventKinds.FirstPurchase)], T0.AddDays(60)), Ct);
        Assert.Equal(T0.AddDays(60), await _db.DueAtAsync(id));
        await store.CommitAsync(Write(id, 2, [], null), Ct);

        Assert.Null(await _db.DueAtAsync(id));
        Assert.Equal(
            [(1L, EventKinds.Enrolled, 1), (2L, EventKinds.BirthdayWeekStarted, 1), (3L, EventKinds.FirstPurchase, 1)],
            await _db.EventsAsync(id));
        var (events, _) = await ReadAllAsync(new MemberEventReader(_dataSource), 3);
        var enrolled = events[0];
        Assert.Equal((id, 1L, EventKinds.Enrolled, T0), (enrolled.MemberId, enrolled.Seq, enrolled.Kind, enrolled.OccurredAt));
        Assert.Equal("S001", enrolled.Data["store_id"]);
        Assert.Equal("1", enrolled.Data["seq"]);
    }

    [Fact]
    public async Task CommitAsync_ConsecutiveChangesOfOneMemberQueuedTogether_AllStoredInOrderAtTheLastVersion()
    {
        await using var store = Store(writers: 2);
        var id = Make.MemberId();

        // Queued back to back, as a hot member's changes are while a commit is in flight.
        var commits = Enumerable.Range(0, 20)
            .Select(v => store.CommitAsync(Write(id, v, [Event(v + 1, EventKinds.Enrolled)], null), Ct))
            .ToList();
        await Task.WhenAll(commits);

        Assert.Equal(20L, (await _db.MemberRowAsync(id))!.Value.Version);
        Assert.Equal(Enumerable.Range(1, 20).Select(v => (long)v), (await _db.EventsAsync(id)).Select(e => e.Seq));
    }

    [Fact]
    public async Task CommitAsync_StaleWriteThenTheRightOneForTheSameMember_StaleFailsAloneAndTheOtherCommits()
    {
        await using var store = Store(writers: 1);
        var id = Make.MemberId();
        await store.CommitAsync(Write(id, 0, [], null), Ct);

        var stale = store.CommitAsync(Write(id, 3, [Event(9, EventKinds.FirstPurchase)], null), Ct);
        var right = store.CommitAsync(Write(id, 1, [Event(2, EventKinds.FirstPurchase)], null), Ct);

        await Assert.ThrowsAsync<MemberWriteConflictException>(() => stale);
        await right;
        Assert.Equal(2L, (await _db.MemberRowAsync(id))!.Value.Version);
        Assert.Equal([2L], (await _db.EventsAsync(id)).Select(e => e.Seq));
    }

    [Fact]
    public async Task CommitAsync_BatchWithAStaleWrite_OthersCommitWithTheirEventsAndTheStaleOneLeavesNone()
    {
        await using var store = Store(writers: 1);
        var ids = Enumerable.Range(0, 12).Select(_ => Make.MemberId()).ToArray();
        await Task.WhenAll(ids.Select(id => store.CommitAsync(Write(id, 0, [Event(1, EventKinds.Enrolled)], T0.AddDays(1)), Ct)));
        var stale = ids[5];

        // Queued together, so they share a batch; the stale one names a version the row is not at.
        var writes = ids.Select(id => store.CommitAsync(Write(id, id == stale ? 7 : 1, [Event(2, EventKinds.FirstPurchase)], T0.AddDays(2)), Ct)).ToList();
        await Assert.ThrowsAsync<MemberWriteConflictException>(() => writes[5]);
        await Task.WhenAll(writes.Where((_, i) => i != 5));

        foreach (var id in ids)
        {
            var expected = id == stale ? 1 : 2;
            Assert.Equal(expected, (await _db.EventsAsync(id)).Count);
            Assert.Equal(expected, (await _db.MemberRowAsync(id))!.Value.Version);
            Assert.Equal(T0.AddDays(expected), await _db.DueAtAsync(id));
        }
    }

    [Fact]
    public async Task CommitAsync_EventSeqAlreadyStored_WholeWriteRefused()
    {
        await using var store = Store();
        var id = Make.MemberId();
        await store.CommitAsync(Write(id, 0, [Event(1, EventKinds.Enrolled)], T0.AddDays(1)), Ct);

        // A replayed event number means the writer's state is stale: nothing of the write may land.
        await Assert.ThrowsAsync<PostgresException>(() => store.CommitAsync(Write(id, 1, [Event(1, EventKinds.FirstPurchase)], T0.AddDays(9)), Ct));

        Assert.Equal([(1L, EventKinds.Enrolled, 1)], await _db.EventsAsync(id));
        Assert.Equal(1, (await _db.MemberRowAsync(id))!.Value.Version);
        Assert.Equal(T0.AddDays(1), await _db.DueAtAsync(id));
    }

    [Fact]
    public async Task ReadAsync_EarlierTransactionCommitsLate_HeldBackThenReadFirstNeverSkipped()
    {
        await using var store = Store();
        var (slow, fast) = (Make.MemberId(), Make.MemberId());
        await store.CommitAsync(Write(slow, 0, [], null), Ct);
        await store.CommitAsync(Write(fast, 0, [], null), Ct);
        var reader = new MemberEventReader(_dataSource);

        // The slow writer takes its id (and transaction id) first but commits after the fast one.
        await using var connection = await _dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO member_event (member_id, seq, kind, program_version, occurred_at) VALUES ($1, 1, 'late', 1, now())", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = slow });
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await store.CommitAsync(Write(fast, 1, [Event(1, EventKinds.FirstPurchase)], null), Ct);
        var whileSlowIsOpen = await reader.ReadAsync(OutboxCursor.Start, 100, Ct);
        Assert.Empty(whileSlowIsOpen.Events);
        Assert.Equal(OutboxCursor.Start, whileSlowIsOpen.Next);

        await transaction.CommitAsync(Ct);
        var (events, _) = await ReadAllAsync(reader, 2, whileSlowIsOpen.Next);

        Assert.Equal([slow, fast], events.Select(e => e.MemberId));
        Assert.True(events[0].Id < events[1].Id);
    }

    [Fact]
    public async Task ReadAsync_TwoStoresWritingWhileReading_EveryEventOnceInMemberOrder()
    {
        const int membersPerStore = 12;
        const int writesPerMember = 10;
        await using var first = Store(writers: 2, maxBatch: 8);
        await using var second = Store(writers: 2, maxBatch: 8);
        var reader = new MemberEventReader(_dataSource);
        var seen = new List<StoredMemberEvent>();
        using var writersDone = new CancellationTokenSource();

        var total = 2 * membersPerStore * writesPerMember;
        var cursor = OutboxCursor.Start;

        // Reads while the stores write, page by page until a page comes back empty, then polls on.
        var reading = Task.Run(
            () => Eventually.UntilAsync(
                $"all {total} events the two stores wrote to be read",
                async () =>
                {
                    while (true)
                    {
                        var page = await reader.ReadAsync(cursor, 7, Ct);
                        seen.AddRange(page.Events);
                        cursor = page.Next;
                        if (page.Events.Count == 0)
                        {
                            return seen.Count >= total;
                        }
                    }
                },
                TimeSpan.FromSeconds(60)),
            Ct);
        await Task.WhenAll(
            WriteManyAsync(first, membersPerStore, writesPerMember),
            WriteManyAsync(second, membersPerStore, writesPerMember));
        await reading;

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Select(e => (e.MemberId, e.Seq)).Distinct().Count());
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        foreach (var member in seen.GroupBy(e => e.MemberId))
        {
            Assert.Equal(Enumerable.Range(1, writesPerMember).Select(i => (long)i), member.Select(e => e.Seq));
        }

        var after = await reader.ReadAsync(OutboxCursor.Start, 1000, Ct);
        Assert.Equal(seen.Select(e => e.Id), after.Events.Select(e => e.Id));
    }

    [Fact]
    public async Task ReadAsync_AtTheEnd_NothingAndTheSameCursor()
    {
        await using var store = Store();
        var id = Make.MemberId();
        await store.CommitAsync(Write(id, 0, [Event(1, EventKinds.Enrolled)], null), Ct);
        var reader = new MemberEventReader(_dataSource);
        var (all, end) = await ReadAllAsync(reader, 1);

        var again = await reader.ReadAsync(end, 10, Ct);

        Assert.Single(all);
        Assert.Empty(again.Events);
        Assert.Equal(end, again.Next);
        Assert.NotEqual(OutboxCursor.Start, end);
        Assert.True(OutboxCursor.TryParse(end.ToString(), out var parsed));
        Assert.Equal(end, parsed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task ReadAsync_TransactionIdsGainADigit_EveryEventOnceInTransactionOrderWhateverThePageSize(int pageSize)
    {
        await using var store = Store();
        var id = Make.MemberId();
        await store.CommitAsync(Write(id, 0, [], null), Ct);
        ulong[] txs;
        ulong[] shuffled;

        // Rows as long-finished transactions 8 … 100,001 would have written them (those below the
        // server's next transaction id: after initdb that is at least 700 or so, so 8 … 101 always):
        // each time the id gains a digit, its text sorts before the shorter ones ("10" < "9").
        await using (var connection = await _dataSource.OpenConnectionAsync(Ct))
        {
            await using var next = new NpgsqlCommand("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", connection);
            var xmin = ulong.Parse((string)(await next.ExecuteScalarAsync(Ct))!, System.Globalization.CultureInfo.InvariantCulture);
            txs = [.. new ulong[] { 8, 9, 10, 11, 99, 100, 101, 999, 1_000, 1_001, 9_999, 10_000, 99_999, 100_000, 100_001 }.Where(t => t < xmin)];
            shuffled = [.. txs.OrderBy(t => (t * 7_919) % 13)];
            var seq = 0L;
            foreach (var tx in shuffled)
            {
                await using var insert = new NpgsqlCommand(
                    "INSERT INTO member_event (tx, member_id, seq, kind, program_version, occurred_at) VALUES ($1::text::xid8, $2, $3, 'digit', 1, now())", connection);
                insert.Parameters.Add(new NpgsqlParameter { Value = tx.ToString(System.Globalization.CultureInfo.InvariantCulture) });
                insert.Parameters.Add(new NpgsqlParameter { Value = id });
                insert.Parameters.Add(new NpgsqlParameter { Value = ++seq });
                await insert.ExecuteNonQueryAsync(Ct);
            }
        }

        // And real writes after them, by transactions whose ids are larger still.
        await store.CommitAsync(Write(id, 1, [Event(100, EventKinds.FirstPurchase), Event(101, EventKinds.FirstPurchase)], null), Ct);
        var reader = new MemberEventReader(_dataSource);

        var events = await ReadToEndAsync(reader, txs.Length + 2, pageSize);

        var expectedSeqs = txs.Select(t => (long)Array.IndexOf(shuffled, t) + 1).Concat([100L, 101L]);
        Assert.Equal(expectedSeqs, events.Select(e => e.Seq));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    public async Task ReadAsync_ConcurrentWritersAndALongRunningTransaction_EveryEventOnceInMemberOrderWhateverThePageSize(int pageSize)
    {
        const int membersPerStore = 8;
        const int writesPerMember = 6;
        await using var first = Store(writers: 2, maxBatch: 4);
        await using var second = Store(writers: 2, maxBatch: 4);
        var longRunning = Make.MemberId();
        await first.CommitAsync(Write(longRunning, 0, [], null), Ct);
        var reader = new MemberEventReader(_dataSource);

        // A transaction that takes its id before all the writers below and commits after them all.
        await using var connection = await _dataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        await using (var insert = new NpgsqlCommand(
            "INSERT INTO member_event (member_id, seq, kind, program_version, occurred_at) VALUES ($1, 1, 'long', 1, now())", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = longRunning });
            await insert.ExecuteNonQueryAsync(Ct);
        }

        var seen = new List<StoredMemberEvent>();
        var cursor = OutboxCursor.Start;
        var writing = Task.WhenAll(
            WriteManyAsync(first, membersPerStore, writesPerMember),
            WriteManyAsync(second, membersPerStore, writesPerMember));
        // Every writer took its transaction id after the open one, which this test holds open: none
        // of their events may show yet, however long it takes them. Sampled while they write (the
        // pause only spaces the reads out), and then once more with every write committed.
        while (!writing.IsCompleted)
        {
            var page = await reader.ReadAsync(cursor, pageSize, Ct);
            Assert.Empty(page.Events);
            cursor = page.Next;
            await Task.WhenAny(writing, Task.Delay(5, Ct));
        }

        await writing;
        var allWritten = await reader.ReadAsync(cursor, pageSize, Ct);
        Assert.Empty(allWritten.Events);
        cursor = allWritten.Next;
        await transaction.CommitAsync(Ct);
        var total = 1 + (2 * membersPerStore * writesPerMember);
        await Eventually.UntilAsync(
            $"all {total} events to be read once the long transaction committed",
            async () =>
            {
                while (true)
                {
                    var page = await reader.ReadAsync(cursor, pageSize, Ct);
                    seen.AddRange(page.Events);
                    cursor = page.Next;
                    if (page.Events.Count == 0)
                    {
                        return seen.Count >= total;
                    }
                }
            });

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Count, seen.Select(e => e.Id).Distinct().Count());
        Assert.Equal(longRunning, seen[0].MemberId);
        foreach (var member in seen.Skip(1).GroupBy(e => e.MemberId))
        {
            Assert.Equal(Enumerable.Range(1, writesPerMember).Select(i => (long)i), member.Select(e => e.Seq));
        }

        var again = await ReadToEndAsync(reader, total, 1000);
        Assert.Equal(seen.Select(e => e.Id), again.Select(e => e.Id));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("12")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("-1.5")]
    [InlineData("1.2.3")]
    public void TryParse_NotACursor_False(string text) => Assert.False(OutboxCursor.TryParse(text, out _));

    private static MemberEvent Event(long seq, string kind) =>
        new(seq, kind, T0, 1, new Dictionary<string, string> { ["store_id"] = "S001", ["seq"] = seq.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static MemberWrite Write(string memberId, long expectedVersion, IReadOnlyList<MemberEvent> events, DateTimeOffset? dueAt) => new()
    {
        MemberId = memberId,
        ExpectedVersion = expectedVersion,
        NewVersion = expectedVersion + 1,
        Balance = 0,
        Tier = nameof(Tier.Regular),
        EnrolledAt = T0,
        UpdatedAt = T0,
        StateJson = "{}",
        Ledger = [],
        Events = events,
        DueAt = dueAt,
    };

    private static async Task WriteManyAsync(MemberStore store, int members, int writesPerMember) =>
        await Task.WhenAll(Enumerable.Range(0, members).Select(async _ =>
        {
            var id = Make.MemberId();
            for (var version = 0; version < writesPerMember; version++)
            {
                await store.CommitAsync(Write(id, version, [Event(version + 1, EventKinds.FirstPurchase)], null), Ct);
            }
        }));

    /// <summary>Reads on from <paramref name="after"/> until <paramref name="count"/> events came (other databases' transactions on the server may hold them back briefly).</summary>
    private static async Task<(List<StoredMemberEvent> Events, OutboxCursor Next)> ReadAllAsync(MemberEventReader reader, int count, OutboxCursor after = default)
    {
        var events = new List<StoredMemberEvent>();
        await Eventually.UntilAsync(
            $"{count} events after cursor {after}",
            async () =>
            {
                while (events.Count < count)
                {
                    var page = await reader.ReadAsync(after, 100, Ct);
                    events.AddRange(page.Events);
                    after = page.Next;
                    if (page.Events.Count == 0)
                    {
                        return false;
                    }
                }

                return true;
            });

        return (events, after);
    }

    /// <summary>Reads every event from the start in pages of <paramref name="pageSize"/> until <paramref name="count"/> came and a page came back empty.</summary>
    private static async Task<List<StoredMemberEvent>> ReadToEndAsync(MemberEventReader reader, int count, int pageSize)
    {
        var events = new List<StoredMemberEvent>();
        var cursor = OutboxCursor.Start;
        await Eventually.UntilAsync(
            $"{count} events from the start, read in pages of {pageSize}",
            async () =>
            {
                while (true)
                {
                    var page = await reader.ReadAsync(cursor, pageSize, Ct);
                    events.AddRange(page.Events);
                    cursor = page.Next;
                    if (page.Events.Count == 0)
                    {
                        return events.Count >= count;
                    }
                }
            });

        return events;
    }

    private MemberStore Store(int writers = 2, int maxBatch = 256) =>
        new(_dataSource, Options.Create(new MemberStoreOptions { Writers = writers, MaxBatchSize = maxBatch }), NullLogger<MemberStore>.Instance);
}
