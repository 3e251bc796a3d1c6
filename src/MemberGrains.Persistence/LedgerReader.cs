using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>A member's points ledger, newest first, a page at a time ("where did my points go").</summary>
public sealed class LedgerReader(NpgsqlDataSource dataSource)
{
    /// <summary>Most rows one page may hold.</summary>
    public const int MaxPageSize = 200;

    private const string ReadBefore = """
        SELECT seq, occurred_at, kind, points, balance_after, request_id, store_id, program_version, offer_id
        FROM points_ledger
        WHERE member_id = $1 AND seq < $2
        ORDER BY seq DESC
        LIMIT $3
        """;

    /// <summary>
    /// Up to <paramref name="max"/> rows with a sequence number below <paramref name="beforeSeq"/>
    /// (long.MaxValue for the newest), newest first; null when the member was never enrolled.
    /// </summary>
    public async Task<IReadOnlyList<StoredLedgerRow>?> ReadAsync(string memberId, long beforeSeq, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxPageSize);
        var rows = new List<StoredLedgerRow>();
        await using (var command = dataSource.CreateCommand(ReadBefore))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = memberId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = beforeSeq });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = max });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new StoredLedgerRow(
                    reader.GetInt64(0),
                    reader.GetFieldValue<DateTimeOffset>(1),
                    reader.GetString(2),
                    reader.GetInt64(3),
                    reader.GetInt64(4),
                    reader.GetString(5),
                    reader.GetString(6),
                    reader.GetInt32(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8)));
            }
        }

        if (rows.Count > 0)
        {
            return rows;
        }

        // An empty page: past the oldest row, or a member who doesn't exist.
        await using var exists = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM member WHERE member_id = $1)");
        exists.Parameters.Add(new NpgsqlParameter { Value = memberId });
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! ? rows : null;
    }
}
