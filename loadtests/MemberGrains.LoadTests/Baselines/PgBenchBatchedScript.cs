using System.Globalization;
using System.Text;

namespace MemberGrains.LoadTests.Baselines;

/// <summary>
/// The pgbench script of the batched baseline: one transaction holding the member writes of
/// <c>k</c> members in the statement shape of <c>MemberGrains.Persistence.MemberStore</c>'s group
/// commit — set-based statements over <c>unnest</c> of arrays, sent together and run by PostgreSQL
/// as one implicit transaction (pgbench's <c>\;</c> makes them one simple-protocol message, so they
/// go in one round trip and commit without a COMMIT, as the store's batch with one Sync does):
/// <list type="number">
/// <item>UPDATE of the <c>k</c> member rows (version, balance, tier, updated_at, the whole state
/// document, due_at) joined to the unnested arrays and guarded by version, ending with a check that
/// all <c>k</c> rows were written (<c>bench_expect_written</c>, like the store's <c>member_expect_written</c>);</item>
/// <item>INSERT of one ledger row per member (the ledger's columns);</item>
/// <item>INSERT of the events (<c>events</c> of the <c>k</c> members, e.g. first purchases).</item>
/// </list>
/// <para>
/// Keys: every client writes only its own members (member <c>1 + client_id + clients × j</c>), as
/// each member's writes go to one writer in the store, so clients never wait on each other's rows;
/// the <c>k</c> members of a transaction are drawn one from each of <c>k</c> equal strata of the
/// client's members, so they are distinct (the store writes a member once per batch) and every
/// member is equally likely. pgbench keeps no per-member state, so the guard is a lower bound
/// (<c>m.version &gt;= u.expected</c>, always true, evaluated per row like the store's equality),
/// and ledger and event sequence numbers come from sequences.
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
    /// which also get an event, each member's new state being <paramref name="stateJson"/>.
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

        return Build(k, events, "'" + stateJson.Replace("'", "''", StringComparison.Ordinal) + "'::jsonb");
    }

    /// <summary>The script as the report shows it: for <paramref name="k"/> members, the state document abbreviated.</summary>
    public static string Display(int k, int events, int stateBytes) =>
        Build(k, events, string.Create(CultureInfo.InvariantCulture, $"'<member state JSON, {stateBytes:N0} bytes>'::jsonb"));

    private static string Build(int k, int events, string stateLiteral)
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

        // 1. The member rows, guarded by version, with the count check.
        text.AppendLine("WITH written AS (");
        text.AppendLine("UPDATE bench_member AS m");
        text.AppendLine("SET version = m.version + 1, balance = m.balance + u.points, tier = u.tier, updated_at = u.updated_at, state = u.state, due_at = u.due_at");
        text.AppendLine("FROM unnest(");
        text.AppendLine("    " + Members(k) + ",");
        text.AppendLine("    " + Fill("1::bigint", k) + ",");
        text.AppendLine("    " + Numbers(Points, k) + ",");
        text.AppendLine("    " + Fill("'Basic'::text", k) + ",");
        text.AppendLine("    " + Fill("now()", k) + ",");
        text.AppendLine("    ARRAY[");
        for (var i = 0; i < k; i++)
        {
            text.AppendLine("        " + stateLiteral + (i < k - 1 ? "," : string.Empty));
        }

        text.AppendLine("    ],");
        text.AppendLine("    " + Fill("now() + interval '30 days'", k) + ")");
        text.AppendLine("     AS u(member_id, expected, points, tier, updated_at, state, due_at)");
        text.AppendLine("WHERE m.member_id = u.member_id AND m.version >= u.expected");
        text.AppendLine("RETURNING 1)");
        text.AppendLine(CultureInfo.InvariantCulture, $"SELECT bench_expect_written({k}, count(*)) FROM written \\;");

        // 2. One ledger row per member.
        text.AppendLine("INSERT INTO bench_ledger (member_id, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at, offer_id)");
        text.AppendLine("SELECT * FROM unnest(");
        text.AppendLine("    " + Members(k) + ",");
        text.AppendLine("    '{" + string.Join(',', Enumerable.Range(0, k).Select(i => string.Create(CultureInfo.InvariantCulture, $"lt-r:{v}tx-{i}"))) + "}'::text[],");
        text.AppendLine("    " + Fill("'Earn'::text", k) + ",");
        text.AppendLine("    " + Numbers(Points, k) + ",");
        text.AppendLine("    " + Numbers(i => 100 + Points(i), k) + ",");
        text.AppendLine("    " + Fill("1", k) + ",");
        text.AppendLine("    " + Fill("'S0001'::text", k) + ",");
        text.AppendLine("    " + Fill("'T01'::text", k) + ",");
        text.AppendLine("    " + Fill("now()", k) + ",");
        text.Append("    " + Fill("NULL::text", k) + ")");

        // 3. The events.
        if (events > 0)
        {
            text.AppendLine(" \\;");
            text.AppendLine("INSERT INTO bench_event (member_id, kind, program_version, data, occurred_at)");
            text.AppendLine("SELECT * FROM unnest(");
            text.AppendLine("    " + Members(events) + ",");
            text.AppendLine("    " + Fill("'first_purchase'::text", events) + ",");
            text.AppendLine("    " + Fill("1", events) + ",");
            text.AppendLine("    ARRAY[");
            for (var i = 0; i < events; i++)
            {
                var data = EventData.Replace("-N", string.Create(CultureInfo.InvariantCulture, $"-{i}"), StringComparison.Ordinal);
                text.AppendLine("        '" + data + "'::jsonb" + (i < events - 1 ? "," : string.Empty));
            }

            text.AppendLine("    ],");
            text.Append("    " + Fill("now()", events) + ")");
        }

        text.AppendLine(";");
        return text.ToString();
    }
}
