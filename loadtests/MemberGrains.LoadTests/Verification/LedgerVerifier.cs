using MemberGrains.Domain;
using MemberGrains.LoadTests.Population;
using MemberGrains.LoadTests.Workload;
using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.LoadTests.Verification;

/// <summary>
/// Checks Postgres against what the generator was told. The mutation log is copied into a
/// temporary table and joined with <c>points_ledger</c> by (member, request id, kind):
/// an acknowledged mutation that moved points must have its row (Accrue → Earn, Capture → Redeem,
/// Refund → RefundClawback, RecordActivity → Activity, each carrying the mutation's own request
/// id), no (member, request id, kind) may appear twice, no row may carry a refused or unknown-to-us
/// request id of the run (unknown outcomes may go either way), holds (Reserve/Release) move no
/// points, and every touched member's balance equals its ledger's sum — in Postgres and in memory.
/// </summary>
internal static class LedgerVerifier
{
    /// <summary>Ledger kinds a request of the run can leave exactly once (expiry rows carry whichever request noticed them, possibly several).</summary>
    private const string CountedKinds = "('Enrollment','Earn','Redeem','RefundClawback','Activity','DebtRecovery')";

    public static string? LedgerKindOf(MutationKind kind) => kind switch
    {
        MutationKind.Accrue => nameof(LedgerKind.Earn),
        MutationKind.Capture => nameof(LedgerKind.Redeem),
        MutationKind.Refund => nameof(LedgerKind.RefundClawback),
        MutationKind.Activity => nameof(LedgerKind.Activity),
        _ => null,
    };

    /// <summary>
    /// Verifies the run whose ids start with <see cref="MemberDirectory.Prefix"/>.
    /// <paramref name="memoryBalances"/> reads members' balances as the silo holds them in memory (null: skip that check).
    /// </summary>
    public static async Task<VerificationResult> VerifyAsync(
        string connectionString,
        MemberDirectory members,
        IEnumerable<MutationRecord> records,
        Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyDictionary<int, long>>>? memoryBalances,
        int memorySample,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TEMP TABLE lt_mutation (member_id text NOT NULL, request_id text NOT NULL, op text NOT NULL, ledger_kind text NULL, points bigint NOT NULL, outcome text NOT NULL) ON COMMIT PRESERVE ROWS;
            """, cancellationToken);
        long acknowledged = 0, failed = 0, unknown = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY lt_mutation FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in records)
            {
                copy.StartRow();
                copy.Write(members.IdOf(r.Member), NpgsqlDbType.Text);
                copy.Write(r.RequestId, NpgsqlDbType.Text);
                copy.Write(r.Kind.ToString(), NpgsqlDbType.Text);
                if (LedgerKindOf(r.Kind) is { } ledgerKind)
                {
                    copy.Write(ledgerKind, NpgsqlDbType.Text);
                }
                else
                {
                    copy.WriteNull();
                }

                copy.Write(r.Points, NpgsqlDbType.Bigint);
                copy.Write(r.Outcome.ToString(), NpgsqlDbType.Text);
                _ = r.Outcome switch
                {
                    MutationOutcome.Acknowledged => acknowledged++,
                    MutationOutcome.Failed => failed++,
                    _ => unknown++,
                };
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await ExecuteAsync(connection, "CREATE INDEX ON lt_mutation (member_id, request_id); ANALYZE lt_mutation;", cancellationToken);
        var prefix = members.Prefix + "%";
        var examples = new List<string>();

        var ledgerBearing = await CountAsync(connection, "SELECT count(*) FROM lt_mutation WHERE outcome = 'Acknowledged' AND points <> 0 AND ledger_kind IS NOT NULL", prefix, cancellationToken);
        const string LostWhere = """
            FROM lt_mutation a
            WHERE a.outcome = 'Acknowledged' AND a.points <> 0 AND a.ledger_kind IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM points_ledger l WHERE l.member_id = a.member_id AND l.request_id = a.request_id AND l.kind = a.ledger_kind)
            """;
        var lost = await CountAsync(connection, $"SELECT count(*) {LostWhere}", prefix, cancellationToken);
        await ExamplesAsync(connection, $"SELECT 'lost: ' || a.op || ' ' || a.request_id || ' of ' || a.member_id || ' (' || a.points || ' points acknowledged)' {LostWhere} LIMIT 5", prefix, examples, cancellationToken);

        // One row per request, kind and offer: a purchase's offers book their bonus points (and a
        // refund takes them back) in rows of their own, each naming its offer.
        var duplicatedSql = $"""
            FROM points_ledger l
            WHERE l.member_id LIKE $1 AND l.request_id LIKE $1 AND l.kind IN {CountedKinds}
            GROUP BY l.member_id, l.request_id, l.kind, l.offer_id HAVING count(*) > 1
            """;
        var duplicated = await CountAsync(connection, $"SELECT count(*) FROM (SELECT 1 {duplicatedSql}) d", prefix, cancellationToken);
        await ExamplesAsync(connection, $"SELECT 'duplicated: ' || l.kind || ' ' || l.request_id || ' of ' || l.member_id || ' x' || count(*) {duplicatedSql} LIMIT 5", prefix, examples, cancellationToken);

        var unackedSql = $"""
            FROM points_ledger l
            WHERE l.member_id LIKE $1 AND l.request_id LIKE $1 AND l.kind IN {CountedKinds} AND l.kind <> 'Enrollment'
              AND NOT EXISTS (SELECT 1 FROM lt_mutation a WHERE a.member_id = l.member_id AND a.request_id = l.request_id AND a.outcome IN ('Acknowledged', 'Unknown'))
            """;
        var unacked = await CountAsync(connection, $"SELECT count(*) {unackedSql}", prefix, cancellationToken);
        await ExamplesAsync(connection, $"SELECT 'not acknowledged but in the ledger: ' || l.kind || ' ' || l.request_id || ' of ' || l.member_id {unackedSql} LIMIT 5", prefix, examples, cancellationToken);

        var holdRows = await CountAsync(connection, """
            SELECT count(*) FROM points_ledger l JOIN lt_mutation a ON a.member_id = l.member_id AND a.request_id = l.request_id
            WHERE a.op IN ('Reserve', 'Release') AND l.kind <> 'Expire'
            """, prefix, cancellationToken);

        var balanceSql = """
            FROM (SELECT DISTINCT member_id FROM lt_mutation) t
            JOIN member m ON m.member_id = t.member_id
            CROSS JOIN LATERAL (SELECT COALESCE(sum(l.points), 0) AS total FROM points_ledger l WHERE l.member_id = t.member_id) s
            WHERE m.balance <> s.total
            """;
        var touched = await CountAsync(connection, "SELECT count(DISTINCT member_id) FROM lt_mutation", prefix, cancellationToken);
        var ledgerMismatches = await CountAsync(connection, $"SELECT count(*) {balanceSql}", prefix, cancellationToken);
        await ExamplesAsync(connection, $"SELECT 'balance ' || m.balance || ' but ledger sums to ' || s.total || ' for ' || m.member_id {balanceSql} LIMIT 5", prefix, examples, cancellationToken);

        long sampled = 0, memoryMismatches = 0;
        if (memoryBalances is not null && memorySample > 0)
        {
            var sample = await SampleAsync(connection, members, memorySample, cancellationToken);
            var inMemory = await memoryBalances([.. sample.Keys], cancellationToken);
            foreach (var (member, balance) in sample)
            {
                sampled++;
                if (!inMemory.TryGetValue(member, out var held) || held != balance)
                {
                    memoryMismatches++;
                    if (examples.Count < 15)
                    {
                        examples.Add($"in memory {(inMemory.TryGetValue(member, out var h) ? h.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unreadable")} but Postgres {balance} for {members.IdOf(member)}");
                    }
                }
            }
        }

        return new VerificationResult
        {
            Acknowledged = acknowledged,
            Failed = failed,
            Unknown = unknown,
            LedgerBearing = ledgerBearing,
            Lost = lost,
            Duplicated = duplicated,
            UnackedInLedger = unacked,
            HoldLedgerRows = holdRows,
            TouchedMembers = touched,
            LedgerBalanceMismatches = ledgerMismatches,
            MemorySampled = sampled,
            MemoryBalanceMismatches = memoryMismatches,
            Examples = examples,
        };
    }

    /// <summary>Up to <paramref name="count"/> touched members (random) with their Postgres balance.</summary>
    private static async Task<Dictionary<int, long>> SampleAsync(NpgsqlConnection connection, MemberDirectory members, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT m.member_id, m.balance FROM (SELECT DISTINCT member_id FROM lt_mutation) t JOIN member m ON m.member_id = t.member_id ORDER BY random() LIMIT $1",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = count });
        var sample = new Dictionary<int, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var index = members.IndexOf(reader.GetString(0));
            if (index >= 0)
            {
                sample[index] = reader.GetInt64(1);
            }
        }

        return sample;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, string prefix, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        }

        command.CommandTimeout = 600;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task ExamplesAsync(NpgsqlConnection connection, string sql, string prefix, List<string> examples, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (sql.Contains("$1", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        }

        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            examples.Add(reader.GetString(0));
        }
    }
}
