using MemberGrains.Domain;
using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.LoadTests.Population;

/// <summary>
/// Enrols the run's members straight into Postgres, as the member grain would have: each member's
/// state is made by the real domain (<see cref="MemberAccount.Enroll"/> under the active program),
/// then written as a version-1 <c>member</c> row with its due time, its enrolment ledger row and its
/// enrolment event — in chunks, each one transaction of binary COPYs (written synchronously: a
/// dedicated worker per chunk, and per-field async writes cost more than they save), several chunks at once.
/// </summary>
internal sealed class BulkEnroller(string connectionString, MemberDirectory members, IProgramCatalog programs, TimeProvider time)
{
    public const int ChunkSize = 10_000;

    private long _enrolled;

    /// <summary>Members committed so far.</summary>
    public long Enrolled => Interlocked.Read(ref _enrolled);

    /// <summary>Enrols members [from, to).</summary>
    public async Task EnrollAsync(int from, int to, int parallelism, CancellationToken cancellationToken)
    {
        var next = from;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, Math.Max(1, parallelism)),
            cancellationToken,
            async (_, ct) =>
            {
                while (true)
                {
                    var start = Interlocked.Add(ref next, ChunkSize) - ChunkSize;
                    if (start >= to)
                    {
                        return;
                    }

                    await WriteChunkAsync(start, Math.Min(to, start + ChunkSize), ct);
                }
            });

        // A bulk load leaves the planner's statistics saying the tables are empty; a real database
        // of this size has them. Without this, plans made now (and cached) would scan whole tables.
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE member, points_ledger, member_event", connection) { CommandTimeout = 0 };
        await analyze.ExecuteNonQueryAsync(cancellationToken);

        // Nor is a serving database in the middle of flushing a bulk load: write it out before the
        // phases measure (the cold-activation phase reads rows straight after this).
        await using var checkpoint = new NpgsqlCommand("CHECKPOINT", connection) { CommandTimeout = 0 };
        try
        {
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // A database user that may not (running silos' own database, say): the server's own checkpoints write the load out later.
            CheckpointSkipped = true;
        }
    }

    /// <summary>Whether the checkpoint after the bulk load was refused (it needs superuser or pg_checkpoint).</summary>
    public bool CheckpointSkipped { get; private set; }

    /// <summary>The state a member gets at enrolment (what a typical member row holds), as JSON.</summary>
    public string TypicalStateJson(int index) => MakeWrite(index, time.GetUtcNow()).StateJson;

    private MemberWrite MakeWrite(int index, DateTimeOffset now)
    {
        var command = new EnrollCommand(
            members.IdOf(index),
            members.EnrollRequestId(index),
            members.BirthdayOf(index),
            Stores.StoreId(members.HomeStoreOf(index)),
            members.MarketingConsentOf(index),
            members.PersonalisationConsentOf(index));
        var (account, _) = MemberAccount.Enroll(command, programs, AccountLimits.Default, now);
        return MemberWrite.Create(account.State, 0, account.DrainLedger(), account.DrainEvents(), account.NextDueAt(now), now);
    }

    private async Task WriteChunkAsync(int from, int to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var writes = new MemberWrite[to - from];
        for (var i = from; i < to; i++)
        {
            writes[i - from] = MakeWrite(i, now);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY member (member_id, version, balance, tier, enrolled_at, updated_at, state, due_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var w in writes)
            {
                copy.StartRow();
                copy.Write(w.MemberId, NpgsqlDbType.Text);
                copy.Write(w.NewVersion, NpgsqlDbType.Bigint);
                copy.Write(w.Balance, NpgsqlDbType.Bigint);
                copy.Write(w.Tier, NpgsqlDbType.Text);
                copy.Write(w.EnrolledAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                copy.Write(w.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                copy.Write(w.StateJson, NpgsqlDbType.Jsonb);
                if (w.DueAt is { } due)
                {
                    copy.Write(due.UtcDateTime, NpgsqlDbType.TimestampTz);
                }
                else
                {
                    copy.WriteNull();
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var w in writes)
            {
                foreach (var e in w.Ledger)
                {
                    copy.StartRow();
                    copy.Write(w.MemberId, NpgsqlDbType.Text);
                    copy.Write(e.Seq, NpgsqlDbType.Bigint);
                    copy.Write(e.RequestId, NpgsqlDbType.Text);
                    copy.Write(e.Kind.ToString(), NpgsqlDbType.Text);
                    copy.Write(e.Points, NpgsqlDbType.Bigint);
                    copy.Write(e.BalanceAfter, NpgsqlDbType.Bigint);
                    copy.Write(e.ProgramVersion, NpgsqlDbType.Integer);
                    copy.Write(e.StoreId, NpgsqlDbType.Text);
                    copy.Write(e.TerminalId, NpgsqlDbType.Text);
                    copy.Write(e.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY member_event (member_id, seq, kind, program_version, data, occurred_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var w in writes)
            {
                foreach (var e in w.Events)
                {
                    copy.StartRow();
                    copy.Write(w.MemberId, NpgsqlDbType.Text);
                    copy.Write(e.Seq, NpgsqlDbType.Bigint);
                    copy.Write(e.Kind, NpgsqlDbType.Text);
                    copy.Write(e.ProgramVersion, NpgsqlDbType.Integer);
                    copy.Write(System.Text.Json.JsonSerializer.Serialize(e.Data), NpgsqlDbType.Jsonb);
                    copy.Write(e.At.UtcDateTime, NpgsqlDbType.TimestampTz);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        Interlocked.Add(ref _enrolled, writes.Length);
    }
}
