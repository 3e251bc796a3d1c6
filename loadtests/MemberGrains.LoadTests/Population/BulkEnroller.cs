using MemberGrains.Domain;
using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.LoadTests.Population;

/// <summary>
/// Enrols the run's members straight into Postgres, as the member grain would have: each member's
/// state is made by the real domain (<see cref="MemberAccount.Enroll"/> under the active program),
/// then written by the store's own bulk writer (<see cref="MemberBulkWriter"/>: the version-1
/// <c>member</c> row with its due time, its parts, its enrolment ledger row and its enrolment event)
/// — in chunks, each one transaction of binary COPYs, several chunks at once.
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
        await using var analyze = new NpgsqlCommand("VACUUM ANALYZE member, member_part, points_ledger, member_event", connection) { CommandTimeout = 0 };
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
        return MemberWrite.Create(account, new MemberParts(), 0, now);
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
        await MemberBulkWriter.WriteNewMembersAsync(connection, writes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Interlocked.Add(ref _enrolled, writes.Length);
    }
}
