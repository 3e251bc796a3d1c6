using System.Globalization;
using System.Text;
using MemberGrains.Domain;
using MemberGrains.Persistence;

namespace MemberGrains.LoadTests.Baselines;

/// <summary>
/// The pgbench script of the batched baseline: one transaction holding the member writes of
/// <c>k</c> members in the statement shape of <c>MemberGrains.Persistence.MemberStore</c>'s group
/// commit for an Accrue — set-based statements over <c>unnest</c> of arrays, sent together and run
/// by PostgreSQL as one implicit transaction (pgbench's <c>\;</c> makes them one simple-protocol
/// message, so they go in one round trip and commit without a COMMIT, as the store's batch with one
/// Sync does):
/// <list type="number">
/// <item>UPDATE of the <c>k</c> member rows (version, balance, tier, updated_at, the core state
/// document, due_at, <c>state_format = 2</c>) joined to the unnested arrays and guarded by version,
/// ending with a check that all <c>k</c> rows were written (<c>bench_expect_written</c>, like the
/// store's <c>member_expect_written</c>);</item>
/// <item>INSERT of one ledger row per member (the ledger's columns);</item>
/// <item>INSERT of the events (<c>events</c> of the <c>k</c> members, e.g. first purchases);</item>
/// <item>UPSERT of the member parts an Accrue adds (schema 0008's <c>member_part</c>): per member a
/// new lot and a new purchase (<see cref="LotJson"/>, <see cref="PurchaseJson"/>: real domain
/// objects serialised as the store serialises them), under keys new in every transaction, so they
/// are inserts, through the store's <c>ON CONFLICT … DO UPDATE</c>. The store's DELETE of gone parts
/// (rare in an Accrue) is left out.</item>
/// </list>
/// <para>
/// Keys: every client writes only its own members (member <c>1 + client_id + clients × j</c>), as
/// each member's writes go to one writer in the store, so clients never wait on each other's rows;
/// the <c>k</c> members of a transaction are drawn one from each of <c>k</c> equal strata of the
/// client's members, so they are distinct (the store writes a member once per batch) and every
/// member is equally likely. pgbench keeps no per-member state, so the guard is a lower bound
/// (<c>m.version &gt;= u.expected</c>, always true, evaluated per row like the store's equality),
/// ledger and event sequence numbers come from sequences, and part keys come from the
/// transaction's random number (the lot's key is it, the purchase's key its request id, as the
/// ledger row's).
/// </para>
/// </summary>
public static class PgBenchBatchedScript
{
    /// <summary>pgbench variable: rows in <c>bench_member</c> (passed with <c>-D</c>).</summary>
    public const string MembersVariable = "mgb_members";

    /// <summary>pgbench variable: the run's client count (passed with <c>-D</c>; pgbench has no built-in one).</summary>
    public const string ClientsVariable = "mgb_clients";

    private const string VariablePrefix = "mgb_";

    /// <summary>Event data of a first purchase, as the domain raises it (request id, store, total).</summary>
    private const string EventData = """{"store_id": "S0001", "total_fen": "12000", "request_id": "lt-r:mgb_tx-N"}""";

    /// <summary>Whether <paramref name="members"/> rows are enough for <paramref name="clients"/> clients writing <paramref name="k"/> distinct members each per transaction.</summary>
    public static bool Fits(int members, int clients, int k) =>
        members > 0 && clients > 0 && k > 0 && StratumSize(members, clients, k) >= 1;

    /// <summary>Members in each of a client's <paramref name="k"/> strata: ⌊⌊members / clients⌋ / k⌋.</summary>
    public static int StratumSize(int members, int clients, int k) => members / clients / k;

    /// <summary>
    /// The member number (1-based, <c>bench_member</c> holds <c>'b' || n</c>) the script draws as the
    /// <paramref name="index"/>-th member of a transaction of client <paramref name="clientId"/>, for
    /// the uniform draw <paramref name="offset"/> in [0, stratum size). The script computes the same
    /// expression with pgbench's integer arithmetic.
    /// </summary>
    public static int MemberNumber(int members, int clients, int k, int clientId, int index, int offset)
    {
        var stratum = StratumSize(members, clients, k);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, stratum);
        return 1 + clientId + (clients * ((index * stratum) + offset));
    }

    /// <summary>
    /// The script for <paramref name="k"/> members per transaction, <paramref name="events"/> of
    /// which also get an event, each member's new core state document being <paramref name="stateJson"/>
    /// and each getting a new lot and a new purchase part.
    /// </summary>
    public static string Text(int k, int events, string stateJson)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events, k);
        ArgumentNullException.ThrowIfNull(stateJson);
        if (stateJson.Contains(":" + VariablePrefix, StringComparison.Ordinal))
        {
            // pgbench would substitute it in the literal.
            throw new ArgumentException($"The state JSON holds ':{VariablePrefix}', which pgbench would read as one of the script's variables.", nameof(stateJson));
        }

        return Build(k, events, Literal(stateJson), i => Literal(LotJson(i)), i => Literal(PurchaseJson(i)));
    }

    /// <summary>The script as the report shows it: for <paramref name="k"/> members, the state document and the parts abbreviated.</summary>
    public static string Display(int k, int events, int stateBytes) =>
        Build(
            k,
            events,
            string.Create(CultureInfo.InvariantCulture, $"'<member core state JSON, {stateBytes:N0} bytes>'::jsonb"),
            _ => string.Create(CultureInfo.InvariantCulture, $"'<lot JSON, {Bytes(LotJson(0))} bytes>'::jsonb"),
            _ => string.Create(CultureInfo.InvariantCulture, $"'<purchase JSON, {Bytes(PurchaseJson(0))} bytes>'::jsonb"));

    /// <summary>UTF-8 size of <paramref name="json"/> as the script writes it (before pgbench substitutes the transaction's number).</summary>
    public static int Bytes(string json) => Encoding.UTF8.GetByteCount(json);

    /// <summary>
    /// The new lot an Accrue adds (kind <c>lot</c>), as <c>member_part.data</c>: a
    /// <see cref="PointsLot"/> serialised by <see cref="MemberStateJson.SerializePart{T}"/>, its
    /// source the <paramref name="index"/>-th member's request of the transaction.
    /// </summary>
    public static string LotJson(int index)
    {
        var at = SampleTime;
        return MemberStateJson.SerializePart(new PointsLot
        {
            Id = 3,
            EarnedAt = at,
            ExpiresAt = at.AddYears(1),
            AvailableAt = at.AddDays(7),
            Points = 118,
            Remaining = 118,
            SourceRequestId = RequestId(index),
        });
    }

    /// <summary>
    /// The new purchase an Accrue adds (kind <c>purchase</c>, kept for refunds and retries), as
    /// <c>member_part.data</c>: a <see cref="PurchaseRecord"/> of a four-line basket (about the load
    /// test's average basket) with its receipt, serialised by <see cref="MemberStateJson.SerializePart{T}"/>.
    /// </summary>
    public static string PurchaseJson(int index)
    {
        var at = SampleTime;
        var requestId = RequestId(index);
        PurchaseLine[] lines =
        [
            new("SKU-00417", "fresh food", 1, 2_380),
            new("SKU-01288", "dairy", 2, 1_560, Promoted: true),
            new("SKU-00052", "household", 1, 5_990),
            new("SKU-01733", "beverages", 3, 1_870),
        ];
        var total = lines.Sum(l => l.AmountFen);
        var command = new AccrueCommand(requestId, "S0001", "T01", total, lines);
        var earning = new EarnBreakdown(total, 1m, 1m, 1m, [], 118, 0, false);
        var receipt = new Receipt(requestId, OperationKind.Accrue, 118, 1_218, 1_100, null, null, 1, at, earning)
        {
            OccurredAt = at,
            CashDueAfterDiscountsFen = total,
        };
        return MemberStateJson.SerializePart(new PurchaseRecord
        {
            RequestId = requestId,
            StoreId = "S0001",
            TerminalId = "T01",
            At = at,
            TotalFen = total,
            PointsEarned = 118,
            ProgramVersion = 1,
            Lines = [.. lines],
            Tier = Tier.Regular,
            CapHeadroomFen = long.MaxValue,
            Fingerprint = Fingerprint.Of(command),
            Receipt = receipt,
        });
    }

    // A clock reading with all seven fractional digits, as the service's are.
    private static DateTimeOffset SampleTime => new DateTimeOffset(2025, 6, 14, 10, 21, 33, TimeSpan.Zero).AddTicks(1_234_567);

    // The request id of the index-th member's change in the transaction (pgbench substitutes :mgb_tx); the ledger row's and the purchase's key.
    private static string RequestId(int index) => string.Create(CultureInfo.InvariantCulture, $"lt-r:{VariablePrefix}tx-{index}");

    private static string Literal(string json) => "'" + json.Replace("'", "''", StringComparison.Ordinal) + "'::jsonb";

    private static string Build(int k, int events, string stateLiteral, Func<int, string> lotLiteral, Func<int, string> purchaseLiteral)
    {
        var text = new StringBuilder();
        var v = VariablePrefix;
        text.AppendLine(CultureInfo.InvariantCulture, $"\\set {v}stratum (:{MembersVariable} / :{ClientsVariable}) / {k}");
        for (var i = 0; i < k; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"\\set {v}k{i} 1 + :client_id + :{ClientsVariable} * ({i} * :{v}stratum + random(0, :{v}stratum - 1))");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"\\set {v}tx random(1, 2000000000)");

        string Members(int count) => "'{" + string.Join(',', Enumerable.Range(0, count).Select(i => $"b:{v}k{i}")) + "}'::text[]";
        string Fill(string value, int count) => string.Create(CultureInfo.InvariantCulture, $"array_fill({value}, ARRAY[{count}])");
        string Numbers(Func<int, long> value, int count) =>
            "'{" + string.Join(',', Enumerable.Range(0, count).Select(i => value(i).ToString(CultureInfo.InvariantCulture))) + "}'::bigint[]";
        static long Points(int i) => 12 + ((i * 37) % 1_500);
        var statements = new List<string>();

        // 1. The member rows (core document), guarded by version, with the count check.
        var update = new StringBuilder();
        update.AppendLine("WITH written AS (");
        update.AppendLine("UPDATE bench_member AS m");
        update.AppendLine("SET version = m.version + 1, balance = m.balance + u.points, tier = u.tier, updated_at = u.updated_at, state = u.state, due_at = u.due_at, state_format = 2");
        update.AppendLine("FROM unnest(");
        update.AppendLine("    " + Members(k) + ",");
        update.AppendLine("    " + Fill("1::bigint", k) + ",");
        update.AppendLine("    " + Numbers(Points, k) + ",");
        update.AppendLine("    " + Fill("'Basic'::text", k) + ",");
        update.AppendLine("    " + Fill("now()", k) + ",");
        update.AppendLine("    ARRAY[");
        for (var i = 0; i < k; i++)
        {
            update.AppendLine("        " + stateLiteral + (i < k - 1 ? "," : string.Empty));
        }

        update.AppendLine("    ],");
        update.AppendLine("    " + Fill("now() + interval '30 days'", k) + ")");
        update.AppendLine("     AS u(member_id, expected, points, tier, updated_at, state, due_at)");
        update.AppendLine("WHERE m.member_id = u.member_id AND m.version >= u.expected");
        update.AppendLine("RETURNING 1)");
        update.Append(CultureInfo.InvariantCulture, $"SELECT bench_expect_written({k}, count(*)) FROM written");
        statements.Add(update.ToString());

        // 2. One ledger row per member.
        var ledger = new StringBuilder();
        ledger.AppendLine("INSERT INTO bench_ledger (member_id, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at, offer_id)");
        ledger.AppendLine("SELECT * FROM unnest(");
        ledger.AppendLine("    " + Members(k) + ",");
        ledger.AppendLine("    '{" + string.Join(',', Enumerable.Range(0, k).Select(RequestId)) + "}'::text[],");
        ledger.AppendLine("    " + Fill("'Earn'::text", k) + ",");
        ledger.AppendLine("    " + Numbers(Points, k) + ",");
        ledger.AppendLine("    " + Numbers(i => 100 + Points(i), k) + ",");
        ledger.AppendLine("    " + Fill("1", k) + ",");
        ledger.AppendLine("    " + Fill("'S0001'::text", k) + ",");
        ledger.AppendLine("    " + Fill("'T01'::text", k) + ",");
        ledger.AppendLine("    " + Fill("now()", k) + ",");
        ledger.Append("    " + Fill("NULL::text", k) + ")");
        statements.Add(ledger.ToString());

        // 3. The events.
        if (events > 0)
        {
            var inserts = new StringBuilder();
            inserts.AppendLine("INSERT INTO bench_event (member_id, kind, program_version, data, occurred_at)");
            inserts.AppendLine("SELECT * FROM unnest(");
            inserts.AppendLine("    " + Members(events) + ",");
            inserts.AppendLine("    " + Fill("'first_purchase'::text", events) + ",");
            inserts.AppendLine("    " + Fill("1", events) + ",");
            inserts.AppendLine("    ARRAY[");
            for (var i = 0; i < events; i++)
            {
                var data = EventData.Replace("-N", string.Create(CultureInfo.InvariantCulture, $"-{i}"), StringComparison.Ordinal);
                inserts.AppendLine("        '" + data + "'::jsonb" + (i < events - 1 ? "," : string.Empty));
            }

            inserts.AppendLine("    ],");
            inserts.Append("    " + Fill("now()", events) + ")");
            statements.Add(inserts.ToString());
        }

        // 4. The parts: per member, in the store's order (a write's lots, then its purchases), a new
        //    lot (key: the transaction's number; never forgotten by time) and a new purchase (key: its
        //    request id; forgotten after the refund window).
        var parts = new StringBuilder();
        parts.AppendLine("INSERT INTO bench_member_part (member_id, kind, key, data, forget_at)");
        parts.AppendLine("SELECT * FROM unnest(");
        parts.AppendLine("    '{" + string.Join(',', Enumerable.Range(0, k).SelectMany(i => new[] { $"b:{v}k{i}", $"b:{v}k{i}" })) + "}'::text[],");
        parts.AppendLine("    '{" + string.Join(',', Enumerable.Range(0, k).SelectMany(_ => new[] { MemberParts.Lot, MemberParts.Purchase })) + "}'::text[],");
        parts.AppendLine("    '{" + string.Join(',', Enumerable.Range(0, k).SelectMany(i => new[] { $":{v}tx", RequestId(i) })) + "}'::text[],");
        parts.AppendLine("    ARRAY[");
        for (var i = 0; i < k; i++)
        {
            parts.AppendLine("        " + lotLiteral(i) + ",");
            parts.AppendLine("        " + purchaseLiteral(i) + (i < k - 1 ? "," : string.Empty));
        }

        parts.AppendLine("    ],");
        parts.AppendLine("    ARRAY[" + string.Join(", ", Enumerable.Range(0, k).Select(_ => "NULL, now() + interval '365 days'")) + "]::timestamptz[])");
        parts.Append("ON CONFLICT (member_id, kind, key) DO UPDATE SET data = EXCLUDED.data, forget_at = EXCLUDED.forget_at");
        statements.Add(parts.ToString());

        text.Append(string.Join(" \\;\n", statements));
        text.AppendLine(";");
        return text.ToString();
    }
}

