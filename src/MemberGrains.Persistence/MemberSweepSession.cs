using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.Persistence;

/// <summary>
/// One sweep's session with Postgres: while it is open this process holds the sweep lock (a
/// session advisory lock, so no transaction stays open while members are touched — an open
/// transaction would hold back the event outbox's readers), and it reads the members whose
/// time-based rules are due and deletes the parts members have forgotten. At most one session is
/// open across the cluster; disposing it releases the lock.
/// </summary>
public sealed class MemberSweepSession : IAsyncDisposable
{
    private const long SweepLockKey = 0x4D475F5357454550; // "MG_SWEEP"

    // Keyset pages by (due_at, member_id): members a touch could not move on (nothing changed, or
    // the touch failed) don't keep the ones behind them from being reached in the same sweep.
    private const string DueMembers = """
        SELECT member_id, due_at FROM member
        WHERE due_at <= $1 AND ($2::timestamptz IS NULL OR (due_at, member_id) > ($2, $3))
        ORDER BY due_at, member_id
        LIMIT $4
        """;

    // The oldest forgotten parts first (index member_part_forget_at, schema 0009). The outer
    // forget_at check is evaluated again on a row a member rewrote meanwhile (a request id reused
    // after its retention): that row is remembered again and stays.
    private const string PruneForgotten = """
        DELETE FROM member_part AS p
        USING (SELECT member_id, kind, key FROM member_part
               WHERE forget_at IS NOT NULL AND forget_at <= $1
               ORDER BY forget_at
               LIMIT $2) AS old
        WHERE p.member_id = old.member_id AND p.kind = old.kind AND p.key = old.key AND p.forget_at <= $1
        """;

    private readonly NpgsqlConnection _connection;

    private MemberSweepSession(NpgsqlConnection connection) => _connection = connection;

    /// <summary>A session holding the sweep lock, or null if another process holds it (it is sweeping).</summary>
    public static async Task<MemberSweepSession?> TryOpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_try_advisory_lock({SweepLockKey})", connection);
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return new MemberSweepSession(connection);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>
    /// Members due at or before <paramref name="now"/>, in (due time, member id) order, after
    /// <paramref name="after"/> (the last one of the previous page, or null for the first page).
    /// </summary>
    public async Task<IReadOnlyList<DueMember>> ReadDueAsync(DateTimeOffset now, DueMember? after, int max, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(DueMembers, _connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after is { } a ? a.DueAt.UtcDateTime : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = after?.MemberId ?? string.Empty });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var page = new List<DueMember>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            page.Add(new DueMember(reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero)));
        }

        return page;
    }

    /// <summary>
    /// Deletes up to <paramref name="max"/> member parts forgotten at or before <paramref name="now"/>
    /// (oldest first) in one statement; returns how many.
    /// </summary>
    public async Task<int> PruneForgottenPartsAsync(DateTimeOffset now, int max, CancellationToken cancellationToken = default)
    {
        await using var command = new NpgsqlCommand(PruneForgotten, _connection);
        command.Parameters.Add(new NpgsqlParameter { Value = now.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand($"SELECT pg_advisory_unlock({SweepLockKey})", _connection);
            await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection broke: the server ended the session, and its lock with it.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A member whose time-based rules are due (<c>member.due_at</c>).</summary>
public readonly record struct DueMember(string MemberId, DateTimeOffset DueAt);
