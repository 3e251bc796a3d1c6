using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.Persistence;

/// <summary>
/// Reads members and commits their changes with group commit: writes queued by many members
/// are committed together in one transaction of set-based statements (new members, changed
/// members guarded by version, ledger rows, outbox events, offer uses), and each caller's task completes only after the
/// commit that holds its change.
/// <para>
/// A member's writes always go to the same writer, so they commit in the order they were made and
/// complete in that order. Consecutive changes of one member queued together (a hot member whose
/// next change was applied while the previous commit was in flight) are committed as one row
/// update carrying all their ledger rows: they succeed or fail together.
/// </para>
/// <para>
/// If a batch fails on the server, its members' writes are retried one member at a time so a
/// single bad write fails alone; if the connection fails before the batch is sent, every write in
/// it fails (nothing stored). If it breaks after the batch was sent, the batch may or may not have
/// been committed: the store then ends the old server session, reads the members' rows back, and
/// answers each caller with what really happened (committed or not), or "outcome unknown" if
/// PostgreSQL does not answer within <see cref="MemberStoreOptions.ResolveSeconds"/>.
/// </para>
/// </summary>
public sealed partial class MemberStore : IMemberStore, IAsyncDisposable
{
    /// <summary>SQLSTATE raised by <c>member_expect_written</c> (schema 0004) when a member row was not at the expected version.</summary>
    public const string VersionConflictState = "MGW01";

    /// <summary>SQLSTATE raised by <c>offer_use_check_leases</c> (schema 0006) when a use names a budget lease that is closed; the message ends with their ids.</summary>
    public const string OfferLeaseClosedState = "MGB01";

    private const string InsertMembers = """
        WITH written AS (
        INSERT INTO member (member_id, version, balance, tier, enrolled_at, updated_at, state, due_at, state_format)
        SELECT u.member_id, u.version, u.balance, u.tier, u.enrolled_at, u.updated_at, u.state, u.due_at, 2
        FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::jsonb[], $8::timestamptz[])
             AS u(member_id, version, balance, tier, enrolled_at, updated_at, state, due_at)
        ON CONFLICT (member_id) DO NOTHING
        RETURNING 1)
        SELECT member_expect_written($9, count(*)) FROM written
        """;

    private const string UpdateMembers = """
        WITH written AS (
        UPDATE member AS m
        SET version = u.version, balance = u.balance, tier = u.tier, updated_at = u.updated_at, state = u.state, due_at = u.due_at, state_format = 2
        FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::timestamptz[], $7::jsonb[], $8::timestamptz[])
             AS u(member_id, expected, version, balance, tier, updated_at, state, due_at)
        WHERE m.member_id = u.member_id AND m.version = u.expected
        RETURNING 1)
        SELECT member_expect_written($9, count(*)) FROM written
        """;

    private const string InsertLedger = """
        INSERT INTO points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at, offer_id)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::int[], $8::text[], $9::text[], $10::timestamptz[], $11::text[])
        """;

    // tx and recorded_at take their defaults: the writing transaction's id and its start time.
    private const string InsertEvents = """
        INSERT INTO member_event (member_id, seq, kind, program_version, data, occurred_at)
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::jsonb[], $6::timestamptz[])
        """;

    // recorded_at takes its default; the statement's trigger refuses uses of closed leases (schema 0006).
    private const string InsertOfferUses = """
        INSERT INTO offer_use (member_id, request_id, offer_id, give_back, lease_id, amount, discount_fen, bonus_points, occurred_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::timestamptz[])
        """;

    // Parts new or changed by the batch's writes (schema 0008, forget_at 0009); one row per (member, kind, key) in a batch.
    private const string UpsertParts = """
        INSERT INTO member_part (member_id, kind, key, data, forget_at)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::timestamptz[])
        ON CONFLICT (member_id, kind, key) DO UPDATE SET data = EXCLUDED.data, forget_at = EXCLUDED.forget_at
        """;

    private const string DeleteParts = """
        DELETE FROM member_part AS p
        USING unnest($1::text[], $2::text[], $3::text[]) AS u(member_id, kind, key)
        WHERE p.member_id = u.member_id AND p.kind = u.kind AND p.key = u.key
        """;

    // A member as one statement (one snapshot): its row, then its parts the member still remembers
    // at $2 (rows past their forget_at wait for the pruner: see MemberParts.Advance).
    private const string Load = """
        SELECT NULL::text, NULL::text, version, state::text, state_format, NULL::timestamptz FROM member WHERE member_id = $1
        UNION ALL
        SELECT kind, key, NULL, data::text, NULL, forget_at FROM member_part
        WHERE member_id = $1 AND (forget_at IS NULL OR forget_at > $2)
        """;

    // What a batch whose outcome is unknown wrote, as it stands in Postgres now.
    private const string ReadBack = """
        SELECT u.member_id, m.version, m.state = u.state
        FROM unnest($1::text[], $2::jsonb[]) AS u(member_id, state)
        LEFT JOIN member AS m ON m.member_id = u.member_id
        """;

    // Ends the server session of a connection that broke mid-batch (waiting up to 5 s), so its
    // transaction is over, committed or rolled back, before the rows are read back.
    private const string EndSession = """
        SELECT pg_terminate_backend(pid, 5000)
        FROM pg_stat_activity
        WHERE pid = $1 AND usename = current_user AND datname = current_database()
        """;

    private const string SessionAlive = "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND datname = current_database()";

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _writes;
    private readonly MemberStoreOptions _options;
    private readonly ILogger<MemberStore> _logger;
    private readonly TimeProvider _time;
    private readonly FaultLog _faults;
    private readonly Channel<PendingWrite>[] _queues;
    private readonly Task[] _writers;

    // Server sessions whose batch's outcome was never learnt: a load waits until they are gone, so
    // it never reads a row such a late-committing transaction is still about to change.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> _unsettled = new();

    /// <param name="dataSource">Loads, and learning a broken commit's outcome.</param>
    /// <param name="options">Batch size and writers.</param>
    /// <param name="logger">Commit failures and outages.</param>
    /// <param name="time">Time (tests drive it).</param>
    /// <param name="writes">
    /// The writers' commits (<see cref="PersistenceServiceCollectionExtensions.CreateWriterDataSource"/>:
    /// a pool as large as the writers); <paramref name="dataSource"/> when not given.
    /// </param>
    public MemberStore(NpgsqlDataSource dataSource, IOptions<MemberStoreOptions> options, ILogger<MemberStore> logger, TimeProvider? time = null, NpgsqlDataSource? writes = null)
    {
        _dataSource = dataSource;
        _writes = writes ?? dataSource;
        _options = options.Value;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _faults = new FaultLog("Member store commits", logger, _time);
        _queues = [.. Enumerable.Range(0, Math.Max(1, _options.Writers))
            .Select(_ => Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false }))];
        _writers = [.. _queues.Select(queue => Task.Run(() => WriteLoopAsync(queue.Reader)))];
    }

    public async Task<StoredMember?> LoadAsync(string memberId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!_unsettled.IsEmpty)
        {
            await SettleAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = _dataSource.CreateCommand(Load);
        command.Parameters.Add(new NpgsqlParameter { Value = memberId });
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        (long Version, string Json, short Format)? row = null;
        var parts = new List<StoredPart>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.IsDBNullAsync(0, cancellationToken).ConfigureAwait(false))
            {
                row = (reader.GetInt64(2), reader.GetString(3), reader.GetInt16(4));
            }
            else
            {
                var forgetAt = await reader.IsDBNullAsync(5, cancellationToken).ConfigureAwait(false) ? (DateTimeOffset?)null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero);
                parts.Add(new StoredPart(reader.GetString(0), reader.GetString(1), reader.GetString(3), forgetAt));
            }
        }

        if (row is not { } member)
        {
            return null;
        }

        if (member.Format == 1)
        {
            // A whole document (written before schema 0008 split it): its parts are not stored as
            // rows yet, so the next write stores them all.
            return new StoredMember(MemberStateJson.Deserialize(member.Json), member.Version, new MemberParts());
        }

        var state = MemberStateJson.DeserializeCore(member.Json);
        return new StoredMember(state, member.Version, MemberParts.Assemble(state, parts));
    }

    public async Task<long?> ReadVersionAsync(string memberId, CancellationToken cancellationToken = default)
    {
        if (!_unsettled.IsEmpty)
        {
            await SettleAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = _dataSource.CreateCommand("SELECT version FROM member WHERE member_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = memberId });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : null;
    }

    public Task CommitAsync(MemberWrite write, CancellationToken cancellationToken = default)
    {
        var pending = new PendingWrite(write);
        if (!_queues[WriterOf(write.MemberId)].Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(MemberStore), "The member store is shutting down.");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Writes already queued are still committed: shutdown waits for them.
        foreach (var queue in _queues)
        {
            queue.Writer.TryComplete();
        }

        await Task.WhenAll(_writers).ConfigureAwait(false);
    }

    private static NpgsqlParameter Array<T>(IEnumerable<T> values, NpgsqlDbType? elementType = null)
    {
        var parameter = new NpgsqlParameter { Value = values.ToArray() };
        if (elementType is { } type)
        {
            parameter.NpgsqlDbType = NpgsqlDbType.Array | type;
        }

        return parameter;
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private int WriterOf(string memberId)
    {
        // FNV-1a: stable for the process's life, unlike string.GetHashCode across runtimes.
        var hash = 2166136261u;
        foreach (var c in memberId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash % (uint)_queues.Length);
    }

    private async Task WriteLoopAsync(ChannelReader<PendingWrite> queue)
    {
        var batch = new List<MemberGroup>();
        var byMember = new Dictionary<string, MemberGroup>(StringComparer.Ordinal);
        var carried = new List<PendingWrite>();
        while (carried.Count > 0 || await queue.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            byMember.Clear();
            var taken = 0;
            var previouslyCarried = carried.ToArray();
            carried.Clear();
            foreach (var pending in previouslyCarried)
            {
                Take(pending);
            }

            while (taken < _options.MaxBatchSize && queue.TryRead(out var pending))
            {
                Take(pending);
            }

            if (batch.Count > 0)
            {
                await CommitBatchAsync(batch).ConfigureAwait(false);
            }

            void Take(PendingWrite pending)
            {
                taken++;
                var memberId = pending.Write.MemberId;
                if (!byMember.TryGetValue(memberId, out var group))
                {
                    group = new MemberGroup();
                    byMember.Add(memberId, group);
                    batch.Add(group);
                }
                else if (group.Carrying || pending.Write.ExpectedVersion != group.Writes[^1].NewVersion)
                {
                    // Not a continuation of this member's queued change (memory was reloaded in
                    // between): commit it in a later round, keeping the member's order.
                    group.Carrying = true;
                    carried.Add(pending);
                    return;
                }

                group.Writes.Add(pending.Write);
                group.Pending.Add(pending);
            }
        }
    }

    private async Task CommitBatchAsync(List<MemberGroup> batch)
    {
        try
        {
            await ExecuteAsync(batch).ConfigureAwait(false);
            _faults.Succeeded();
            batch.ForEach(g => g.Complete(null));
            return;
        }
        catch (SentBatchException sent)
        {
            await ResolveAsync(batch, sent).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (batch.Count > 1 && ex is PostgresException or MemberWriteConflictException or OfferLeaseClosedException)
        {
            // The server refused something in the batch: find out which member's write, committing the others.
            LogBatchRetry(_logger, batch.Count, ex.Message);
        }
        catch (Exception ex)
        {
            // One line when commits start failing (an outage) and one when they work again.
            _faults.Failed($"a batch of {batch.Count}", batch[0].Writes[0].MemberId, ex);
            batch.ForEach(g => g.Complete(ex));
            return;
        }

        foreach (var group in batch)
        {
            try
            {
                await ExecuteAsync([group]).ConfigureAwait(false);
                group.Complete(null);
            }
            catch (SentBatchException sent)
            {
                await ResolveAsync([group], sent).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogCommitFailed(_logger, 1, $"{group.Describe()}: {ex.Message}");
                group.Complete(ex);
            }
        }
    }

    /// <summary>
    /// The connection broke after <paramref name="groups"/> were sent: learn from Postgres whether
    /// they were committed and answer each caller accordingly. First the old server session is
    /// ended (its transaction is then over one way or the other), then the rows are read back: a
    /// member at the version and state the write made was committed, one still at the version the
    /// write expected was not. Retried until <see cref="MemberStoreOptions.ResolveSeconds"/> pass.
    /// </summary>
    private async Task ResolveAsync(IReadOnlyList<MemberGroup> groups, SentBatchException sent)
    {
        LogOutcomeUnknown(_logger, groups.Count, sent.BackendProcessId, sent.Cause.Message);
        // Other idle connections are likely broken the same way (a server restart): don't hand them out.
        _dataSource.Clear();
        var started = _time.GetTimestamp();
        var budget = TimeSpan.FromSeconds(Math.Max(0, _options.ResolveSeconds));
        var last = sent.Cause;
        while (true)
        {
            try
            {
                using var timeout = new CancellationTokenSource(budget - _time.GetElapsedTime(started) + TimeSpan.FromSeconds(1));
                if (!await EndSessionAsync(sent.BackendProcessId, timeout.Token).ConfigureAwait(false))
                {
                    throw new TimeoutException($"Server session {sent.BackendProcessId} of the broken batch is still running.");
                }

                var found = await ReadBackAsync(groups, timeout.Token).ConfigureAwait(false);
                var committed = 0;
                foreach (var group in groups)
                {
                    var write = group.Combined;
                    var (version, sameState) = found.TryGetValue(write.MemberId, out var row) ? row : (0L, false);
                    if (version == write.NewVersion && sameState)
                    {
                        committed++;
                        group.Complete(null);
                    }
                    else if (version == write.ExpectedVersion)
                    {
                        group.Complete(new NpgsqlException($"The connection broke before the commit of {group.Describe()}; it was not committed.", sent.Cause));
                    }
                    else
                    {
                        group.Complete(new MemberWriteConflictException($"The connection broke during the commit of {group.Describe()}, and the row is now at version {version}: written by someone else, so this write was not committed.", sent.Cause));
                    }
                }

                LogOutcomeResolved(_logger, groups.Count, committed);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException or IOException)
            {
                last = ex;
            }

            if (_time.GetElapsedTime(started) >= budget)
            {
                _unsettled.TryAdd(sent.BackendProcessId, 0);
                LogOutcomeStaysUnknown(_logger, groups.Count, last.Message);
                foreach (var group in groups)
                {
                    group.Complete(new CommitOutcomeUnknownException(
                        $"The connection to PostgreSQL broke after the commit of {group.Describe()} was sent, and PostgreSQL did not answer within {budget.TotalSeconds:0.#} s to say whether it was committed.",
                        sent.Cause));
                }

                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), _time).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the server session <paramref name="processId"/> if it still runs; true once it is gone.</summary>
    private async Task<bool> EndSessionAsync(int processId, CancellationToken cancellationToken)
    {
        if (processId == 0)
        {
            return true;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var end = new NpgsqlCommand(EndSession, connection))
        {
            end.Parameters.Add(new NpgsqlParameter<int> { TypedValue = processId });
            await end.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var alive = new NpgsqlCommand(SessionAlive, connection);
        alive.Parameters.Add(new NpgsqlParameter<int> { TypedValue = processId });
        return (long)(await alive.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0;
    }

    private async Task<Dictionary<string, (long Version, bool SameState)>> ReadBackAsync(IReadOnlyList<MemberGroup> groups, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ReadBack);
        command.Parameters.Add(Array(groups.Select(g => g.Combined.MemberId)));
        command.Parameters.Add(Array(groups.Select(g => g.Combined.StateJson), NpgsqlDbType.Jsonb));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new Dictionary<string, (long, bool)>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false))
            {
                found[reader.GetString(0)] = (reader.GetInt64(1), reader.GetBoolean(2));
            }
        }

        return found;
    }

    /// <summary>Waits until the server sessions whose batch's outcome stayed unknown have ended (ending them).</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        foreach (var processId in _unsettled.Keys)
        {
            if (await EndSessionAsync(processId, cancellationToken).ConfigureAwait(false))
            {
                _unsettled.TryRemove(processId, out _);
            }
            else
            {
                throw new TimeoutException($"PostgreSQL session {processId}, whose commit's outcome is unknown, is still running; the member is not read until it has ended.");
            }
        }
    }

    private async Task ExecuteAsync(IReadOnlyList<MemberGroup> groups)
    {
        var writes = groups.Select(g => g.Combined).ToList();
        var inserts = writes.Where(w => w.ExpectedVersion == 0).ToList();
        var updates = writes.Where(w => w.ExpectedVersion > 0).ToList();
        var ledger = writes.SelectMany(w => w.Ledger.Select(e => (w.MemberId, Entry: e))).ToList();
        var events = writes.SelectMany(w => w.Events.Select(e => (w.MemberId, Event: e))).ToList();
        var uses = writes.SelectMany(w => w.OfferUses.Select(u => (w.MemberId, Use: u))).ToList();
        var upserts = writes.SelectMany(w => w.Parts.Upserts.Select(p => (w.MemberId, Part: p))).ToList();
        var deletes = writes.SelectMany(w => w.Parts.Deletes.Select(p => (w.MemberId, Part: p))).ToList();

        // No explicit transaction: the statements go with one Sync, so PostgreSQL runs them as one
        // implicit transaction and commits it in the same round trip (schema 0004 explains the check).
        await using var connection = await _writes.OpenConnectionAsync().ConfigureAwait(false);
        var serverSession = connection.ProcessID;
        await using var batch = new NpgsqlBatch(connection);
        if (inserts.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertMembers,
                Array(inserts.Select(w => w.MemberId)),
                Array(inserts.Select(w => w.NewVersion)),
                Array(inserts.Select(w => w.Balance)),
                Array(inserts.Select(w => w.Tier)),
                Array(inserts.Select(w => w.EnrolledAt.UtcDateTime)),
                Array(inserts.Select(w => w.UpdatedAt.UtcDateTime)),
                Array(inserts.Select(w => w.StateJson), NpgsqlDbType.Jsonb),
                Array(inserts.Select(w => w.DueAt?.UtcDateTime), NpgsqlDbType.TimestampTz),
                new NpgsqlParameter<int> { TypedValue = inserts.Count }));
        }

        if (updates.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                UpdateMembers,
                Array(updates.Select(w => w.MemberId)),
                Array(updates.Select(w => w.ExpectedVersion)),
                Array(updates.Select(w => w.NewVersion)),
                Array(updates.Select(w => w.Balance)),
                Array(updates.Select(w => w.Tier)),
                Array(updates.Select(w => w.UpdatedAt.UtcDateTime)),
                Array(updates.Select(w => w.StateJson), NpgsqlDbType.Jsonb),
                Array(updates.Select(w => w.DueAt?.UtcDateTime), NpgsqlDbType.TimestampTz),
                new NpgsqlParameter<int> { TypedValue = updates.Count }));
        }

        if (ledger.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertLedger,
                Array(ledger.Select(l => l.MemberId)),
                Array(ledger.Select(l => l.Entry.Seq)),
                Array(ledger.Select(l => l.Entry.RequestId)),
                Array(ledger.Select(l => l.Entry.Kind.ToString())),
                Array(ledger.Select(l => l.Entry.Points)),
                Array(ledger.Select(l => l.Entry.BalanceAfter)),
                Array(ledger.Select(l => l.Entry.ProgramVersion)),
                Array(ledger.Select(l => l.Entry.StoreId)),
                Array(ledger.Select(l => l.Entry.TerminalId)),
                Array(ledger.Select(l => l.Entry.At.UtcDateTime)),
                Array(ledger.Select(l => l.Entry.OfferId), NpgsqlDbType.Text)));
        }

        if (events.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertEvents,
                Array(events.Select(e => e.MemberId)),
                Array(events.Select(e => e.Event.Seq)),
                Array(events.Select(e => e.Event.Kind)),
                Array(events.Select(e => e.Event.ProgramVersion)),
                Array(events.Select(e => MemberEventJson.SerializeData(e.Event.Data)), NpgsqlDbType.Jsonb),
                Array(events.Select(e => e.Event.At.UtcDateTime))));
        }

        if (uses.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                InsertOfferUses,
                Array(uses.Select(u => u.MemberId)),
                Array(uses.Select(u => u.Use.RequestId)),
                Array(uses.Select(u => u.Use.OfferId)),
                Array(uses.Select(u => u.Use.GiveBack)),
                Array(uses.Select(u => u.Use.LeaseId), NpgsqlDbType.Bigint),
                Array(uses.Select(u => u.Use.Amount)),
                Array(uses.Select(u => u.Use.DiscountFen)),
                Array(uses.Select(u => u.Use.BonusPoints)),
                Array(uses.Select(u => u.Use.OccurredAt.UtcDateTime))));
        }

        if (deletes.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                DeleteParts,
                Array(deletes.Select(d => d.MemberId)),
                Array(deletes.Select(d => d.Part.Kind)),
                Array(deletes.Select(d => d.Part.Key))));
        }

        if (upserts.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                UpsertParts,
                Array(upserts.Select(u => u.MemberId)),
                Array(upserts.Select(u => u.Part.Kind)),
                Array(upserts.Select(u => u.Part.Key)),
                Array(upserts.Select(u => u.Part.Json), NpgsqlDbType.Jsonb),
                Array(upserts.Select(u => u.Part.ForgetAt?.UtcDateTime), NpgsqlDbType.TimestampTz)));
        }

        // Prepared once per pooled connection (Npgsql keeps them; later calls find them without a
        // round trip): Postgres then skips parsing and planning these statements on every batch.
        // Nothing is committed by a prepare, so its failures mean "not stored".
        await batch.PrepareAsync().ConfigureAwait(false);
        try
        {
            await batch.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == VersionConflictState)
        {
            throw new MemberWriteConflictException($"{e.MessageText} (of {writes.Count} members in the batch).", e);
        }
        catch (PostgresException e) when (e.SqlState == OfferLeaseClosedState)
        {
            // Nothing stored: the transaction is rolled back. The caller decides again with budget from another lease.
            throw new OfferLeaseClosedException($"{e.MessageText} (of {writes.Count} members in the batch).", ClosedLeases(e.MessageText), e);
        }
        catch (PostgresException e) when (!IsSessionFatal(e))
        {
            // The server refused a statement: the implicit transaction is rolled back, nothing stored.
            throw;
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // The batch went out (at least in part) and no answer came: it may have been committed.
            throw new SentBatchException(serverSession, e);
        }
    }

    /// <summary>The lease ids that end the message of an MGB01 refusal ("…: 12,15").</summary>
    private static long[] ClosedLeases(string message) =>
        [.. message[(message.LastIndexOf(':') + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(id => long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lease) ? lease : -1)
            .Where(lease => lease > 0)];

    /// <summary>
    /// An error that ends the server session (FATAL or PANIC, such as an administrator's shutdown):
    /// it can arrive after the commit, so the batch's outcome is unknown.
    /// </summary>
    private static bool IsSessionFatal(PostgresException e) =>
        e.Severity is "FATAL" or "PANIC" || e.SqlState.StartsWith("57", StringComparison.Ordinal) || e.SqlState.StartsWith("08", StringComparison.Ordinal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection broke after a commit of {Count} member writes was sent (server session {ProcessId}: {Reason}); finding out whether it was committed")]
    private static partial void LogOutcomeUnknown(ILogger logger, int count, int processId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outcome of the broken commit learnt: {Committed} of {Count} member writes were committed")]
    private static partial void LogOutcomeResolved(ILogger logger, int count, int committed);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outcome of a broken commit of {Count} member writes stays unknown (PostgreSQL did not answer: {Reason}); their callers are told so")]
    private static partial void LogOutcomeStaysUnknown(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group commit of {Count} member writes refused ({Reason}); retrying them one by one")]
    private static partial void LogBatchRetry(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit of {Count} member writes failed: {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, int count, string reason);

    /// <summary>A batch was sent and its connection broke before the answer: the outcome is to be learnt.</summary>
    private sealed class SentBatchException(int backendProcessId, Exception inner)
        : Exception("The connection broke after the batch was sent.", inner)
    {
        public int BackendProcessId { get; } = backendProcessId;

        public Exception Cause { get; } = inner;
    }

    private sealed class PendingWrite(MemberWrite write)
    {
        public MemberWrite Write { get; } = write;

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One member's consecutive writes in a batch, committed as one.</summary>
    private sealed class MemberGroup
    {
        private MemberWrite? _combined;

        public List<MemberWrite> Writes { get; } = new(1);

        public List<PendingWrite> Pending { get; } = new(1);

        public bool Carrying { get; set; }

        public MemberWrite Combined => _combined ??= Writes.Count == 1 ? Writes[0] : MemberWrite.Combine(Writes);

        public string Describe() =>
            $"member '{Writes[0].MemberId}' at version {Writes[0].ExpectedVersion} ({Writes.Count} change(s))";

        /// <summary>Answers the callers in the order their changes were made.</summary>
        public void Complete(Exception? failure)
        {
            foreach (var pending in Pending)
            {
                if (failure is null)
                {
                    pending.Done.TrySetResult();
                }
                else
                {
                    pending.Done.TrySetException(failure);
                }
            }
        }
    }
}
