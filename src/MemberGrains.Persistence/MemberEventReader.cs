using System.Globalization;
using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>
/// Reads the member event outbox in commit-safe order, for automations that poll it with a cursor.
/// </summary>
/// <remarks>
/// Ids come from a sequence when a row is inserted, not when its transaction commits: a writer may
/// take id 10, another id 11 and commit first. A reader that had moved its cursor past 11 would
/// never see 10. So readers only take rows whose writing transaction is older than every
/// transaction still running (<c>tx &lt; pg_snapshot_xmin(pg_current_snapshot())</c>): no row with
/// such a tx can appear later, and ordering and the cursor by (tx, id) then never skip one. The
/// price is latency: a long-running transaction anywhere on the server holds events back until it
/// ends (it never loses them).
/// </remarks>
public sealed class MemberEventReader(NpgsqlDataSource dataSource)
{
    /// <summary>Most events one read may ask for.</summary>
    public const int MaxPageSize = 1000;

    // The output columns are renamed on purpose: ORDER BY resolves a bare name against the select
    // list first, so selecting "tx::text" under the name tx made the rows sort as text ("1000"
    // before "999") once transaction ids gained a digit, and the cursor then skipped and repeated
    // events. The ORDER BY names the table's columns explicitly as well.
    private const string ReadAfter = """
        SELECT e.tx::text AS tx_text, e.id, e.member_id, e.seq, e.kind, e.program_version, e.data::text AS data_text, e.occurred_at
        FROM member_event AS e
        WHERE (e.tx, e.id) > ($1::text::xid8, $2)
          AND e.tx < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.tx, e.id
        LIMIT $3
        """;

    /// <summary>Up to <paramref name="max"/> events after <paramref name="after"/>, oldest transaction first.</summary>
    public async Task<OutboxPage> ReadAsync(OutboxCursor after, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxPageSize);

        await using var command = dataSource.CreateCommand(ReadAfter);
        command.Parameters.Add(new NpgsqlParameter { Value = after.Tx.ToString(CultureInfo.InvariantCulture) });
        command.Parameters.Add(new NpgsqlParameter { Value = after.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = max });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        var events = new List<StoredMemberEvent>();
        var next = after;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(1);
            next = new OutboxCursor(ulong.Parse(reader.GetString(0), CultureInfo.InvariantCulture), id);
            events.Add(new StoredMemberEvent(
                id,
                reader.GetString(2),
                reader.GetInt64(3),
                reader.GetString(4),
                reader.GetInt32(5),
                reader.GetFieldValue<DateTimeOffset>(7),
                MemberEventJson.DeserializeData(reader.GetString(6))));
        }

        return new OutboxPage(events, next);
    }
}
