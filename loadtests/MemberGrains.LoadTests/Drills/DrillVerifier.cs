using System.Globalization;
using MemberGrains.LoadTests.Workload;
using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// The quiet check after each drill, with no load running: the drill's mutations are copied into a
/// temporary table and joined with <c>points_ledger</c> by (member, request id, kind). Every
/// acknowledged point movement has exactly one row with the receipt's points; no request has two
/// rows of a kind; refused requests and holds have none; every member of the run has
/// <c>member.balance = sum(points_ledger.points)</c>, the balance its last acknowledged receipt
/// said, and the same balance in every live silo's GetMember (memory = Postgres).
/// </summary>
internal static class DrillVerifier
{
    /// <summary>Ledger kinds a request leaves at most once (expiry rows carry whichever request noticed them).</summary>
    private const string CountedKinds = "('Enrollment','Earn','Redeem','RefundClawback','Activity','DebtRecovery')";

    private const int MaxExamples = 20;

    /// <param name="connectionString">The run's Postgres.</param>
    /// <param name="prefix">Starts every member id of the run.</param>
    /// <param name="records">The drill's mutations.</param>
    /// <param name="expectedBalances">Member id → balance of its last acknowledged receipt; members whose last answer is unknown are left out.</param>
    /// <param name="readMemory">Reads the given members through every live silo; null skips that check.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async Task<DrillVerification> VerifyAsync(
        string connectionString,
        string prefix,
        IReadOnlyCollection<DrillRecord> records,
        IReadOnlyDictionary<string, long> expectedBalances,
        Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<MemoryReading>>>? readMemory,
        CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TEMP TABLE dr_request (member_id text NOT NULL, request_id text NOT NULL, op text NOT NULL, ledger_kind text NULL, points bigint NOT NULL, outcome text NOT NULL)", cancellationToken);
        long acknowledged = 0, bearing = 0, refused = 0, unknown = 0;
        await using (var copy = await connection.BeginBinaryImportAsync("COPY dr_request FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in records)
            {
                var row = DrillRecord.LedgerRow(r.Kind);
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.MemberId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.RequestId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Kind.ToString(), NpgsqlDbType.Text, cancellationToken);
                if (row is { } ledger)
                {
                    await copy.WriteAsync(ledger.Kind, NpgsqlDbType.Text, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }

                await copy.WriteAsync(r.Points * (row?.Sign ?? 0), NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(r.Outcome.ToString(), NpgsqlDbType.Text, cancellationToken);
                switch (r.Outcome)
                {
                    case MutationOutcome.Acknowledged:
                        acknowledged++;
                        bearing += row is not null && r.Points != 0 ? 1 : 0;
                        break;
                    case MutationOutcome.Failed:
                        refused++;
                        break;
                    default:
                        unknown++;
                        break;
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await ExecuteAsync(connection, "CREATE INDEX ON dr_request (member_id, request_id); ANALYZE dr_request", cancellationToken);
        var examples = new List<string>();

        // A purchase's points are its Earn row plus a row per offer that gave bonus points; a refund's
        // are its clawback rows (one naming each offer whose points it took back).
        long lostRows = 0, wrongPoints = 0;
        await ReadAsync(connection, """
            SELECT a.op, a.request_id, a.member_id, a.points, s.n, s.total
            FROM dr_request a
            CROSS JOIN LATERAL (
                SELECT count(*) AS n, count(DISTINCT (l.kind, coalesce(l.offer_id, ''))) AS distinct_n, COALESCE(sum(l.points), 0)::bigint AS total
                FROM points_ledger l
                WHERE l.member_id = a.member_id AND l.request_id = a.request_id
                  AND (l.kind = a.ledger_kind OR (a.ledger_kind = 'Earn' AND l.kind = 'Offer'))) s
            WHERE a.outcome = 'Acknowledged' AND a.ledger_kind IS NOT NULL AND a.points <> 0
              AND (s.n = 0 OR (s.n = s.distinct_n AND s.total <> a.points))
            ORDER BY a.request_id
            """, null, reader =>
        {
            var missing = reader.GetInt64(4) == 0;
            if (missing)
            {
                lostRows++;
            }
            else
            {
                wrongPoints++;
            }

            Example(examples, missing
                ? $"lost: {reader.GetString(0)} {reader.GetString(1)} of {reader.GetString(2)} acknowledged {reader.GetInt64(3):+0;-0} points, no ledger row"
                : $"wrong points: {reader.GetString(0)} {reader.GetString(1)} of {reader.GetString(2)} acknowledged {reader.GetInt64(3):+0;-0} points, ledger row {reader.GetInt64(5):+0;-0}");
        }, cancellationToken);

        long duplicated = 0;
        await ReadAsync(connection, $"""
            SELECT l.kind, l.request_id, l.member_id, count(*)
            FROM points_ledger l
            JOIN (SELECT DISTINCT member_id, request_id FROM dr_request) a ON a.member_id = l.member_id AND a.request_id = l.request_id
            WHERE l.kind IN {CountedKinds}
            GROUP BY l.kind, l.request_id, l.member_id, l.offer_id HAVING count(*) > 1
            ORDER BY l.request_id
            """, null, reader =>
        {
            duplicated++;
            Example(examples, $"duplicated: {reader.GetString(0)} {reader.GetString(1)} of {reader.GetString(2)} x{reader.GetInt64(3)}");
        }, cancellationToken);

        long phantom = 0;
        await ReadAsync(connection, """
            SELECT l.kind, l.request_id, l.member_id, a.op, a.outcome, l.points
            FROM points_ledger l
            JOIN dr_request a ON a.member_id = l.member_id AND a.request_id = l.request_id
            WHERE l.kind <> 'Expire' AND (a.outcome = 'Failed' OR a.ledger_kind IS NULL)
            ORDER BY l.request_id
            """, null, reader =>
        {
            phantom++;
            Example(examples, $"in the ledger but {(reader.GetString(4) == "Failed" ? "refused" : "a hold")}: {reader.GetString(3)} {reader.GetString(1)} of {reader.GetString(2)} ({reader.GetString(0)} {reader.GetInt64(5):+0;-0})");
        }, cancellationToken);

        var postgres = new Dictionary<string, long>(StringComparer.Ordinal);
        long ledgerMismatches = 0;
        await ReadAsync(connection, """
            SELECT m.member_id, m.balance, COALESCE(s.total, 0)::bigint
            FROM member m
            LEFT JOIN (SELECT member_id, sum(points) AS total FROM points_ledger WHERE member_id LIKE $1 GROUP BY member_id) s ON s.member_id = m.member_id
            WHERE m.member_id LIKE $1
            ORDER BY m.member_id
            """, prefix + "%", reader =>
        {
            var (member, balance, total) = (reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2));
            postgres[member] = balance;
            if (balance != total)
            {
                ledgerMismatches++;
                Example(examples, $"member.balance {balance} but the ledger sums to {total} for {member}");
            }
        }, cancellationToken);

        long modelChecked = 0, modelMismatches = 0;
        foreach (var (member, expected) in expectedBalances.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            modelChecked++;
            if (!postgres.TryGetValue(member, out var balance) || balance != expected)
            {
                modelMismatches++;
                Example(examples, $"last acknowledged balance {expected} but Postgres {(postgres.ContainsKey(member) ? balance.ToString(CultureInfo.InvariantCulture) : "has no member row")} for {member}");
            }
        }

        long readings = 0, memoryMismatches = 0;
        if (readMemory is not null)
        {
            foreach (var reading in await readMemory([.. postgres.Keys.Order(StringComparer.Ordinal)], cancellationToken))
            {
                readings++;
                var stored = postgres.GetValueOrDefault(reading.MemberId);
                if (reading.Balance != stored)
                {
                    memoryMismatches++;
                    Example(examples, reading.Balance is { } held
                        ? $"GetMember through {reading.Silo} says {held} but Postgres {stored} for {reading.MemberId}"
                        : $"GetMember through {reading.Silo} failed for {reading.MemberId}: {reading.Error}");
                }
            }
        }

        return new DrillVerification
        {
            Mutations = records.Count,
            Acknowledged = acknowledged,
            LedgerBearing = bearing,
            Refused = refused,
            Unknown = unknown,
            LostRows = lostRows,
            WrongPointsRows = wrongPoints,
            Duplicated = duplicated,
            PhantomRows = phantom,
            MembersChecked = postgres.Count,
            LedgerMismatches = ledgerMismatches,
            ModelChecked = modelChecked,
            ModelMismatches = modelMismatches,
            MemoryReadings = readings,
            MemoryMismatches = memoryMismatches,
            Examples = examples,
        };
    }

    private static void Example(List<string> examples, string text)
    {
        if (examples.Count < MaxExamples)
        {
            examples.Add(text);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ReadAsync(NpgsqlConnection connection, string sql, string? parameter, Action<NpgsqlDataReader> row, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 300 };
        if (parameter is not null)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            row(reader);
        }
    }
}
