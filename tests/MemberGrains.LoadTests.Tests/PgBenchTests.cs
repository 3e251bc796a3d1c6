using System.Text.Json;
using System.Text.RegularExpressions;
using MemberGrains.Domain;
using MemberGrains.LoadTests.Baselines;
using MemberGrains.Persistence;

namespace MemberGrains.LoadTests.Tests;

/// <summary>Reading pgbench's summary and per-transaction log, and the batched script's keys and shape.</summary>
public sealed class PgBenchTests
{
    private const string Pg15Summary = """
        pgbench (15.18 (Debian 15.18-0+deb12u1))
        transaction type: /tmp/member_earn.sql
        scaling factor: 1
        query mode: simple
        number of clients: 1
        number of threads: 1
        maximum number of tries: 1
        duration: 5 s
        number of transactions actually processed: 1234
        number of failed transactions: 2 (0.162%)
        latency average = 4.051 ms
        initial connection time = 3.112 ms
        tps = 246.812345 (without initial connection time)
        """;

    [Fact]
    public void ParseRun_Pg15Summary_ThroughputFromTheSummaryPercentilesFromTheLog()
    {
        // 1..100 ms in microseconds, shuffled: p50 is the 50th value, p99 the 99th (nearest rank).
        var latencies = Enumerable.Range(1, 100).Select(i => (long)i * 1000).Reverse().ToList();

        var run = PgBench.ParseRun(Pg15Summary, string.Empty, clients: 1, threads: 1, "pgbench -c 1", latencies);

        Assert.Equal(246.812345, run.TransactionsPerSecond, 6);
        Assert.Equal(1234, run.Transactions);
        Assert.Equal(2, run.Failed);
        Assert.Equal(1, run.Threads);
        Assert.Equal(4.051, run.LatencyAverageMs, 6);
        Assert.Equal(50.0, run.LatencyP50Ms, 6);
        Assert.Equal(99.0, run.LatencyP99Ms, 6);
        Assert.Equal(100.0, run.LatencyMaxMs, 6);
        Assert.Equal(1234 / 246.812345, run.Seconds, 6);
    }

    [Fact]
    public void ParseRun_OlderSummaryWithoutFailures_Read()
    {
        const string old = """
            number of threads: 2
            number of transactions actually processed: 10
            latency average = 1.500 ms
            tps = 600.5 (excluding connections establishing)
            """;

        var run = PgBench.ParseRun(old, string.Empty, clients: 4, threads: 4, "pgbench", [1500, 1400, 1600]);

        Assert.Equal(600.5, run.TransactionsPerSecond, 6);
        Assert.Equal(0, run.Failed);
        Assert.Equal(2, run.Threads);
        Assert.Equal(1.5, run.LatencyP50Ms, 6);
    }

    [Fact]
    public void ParseRun_TransactionsButNoLog_Refused()
    {
        Assert.Throws<InvalidOperationException>(() => PgBench.ParseRun(Pg15Summary, string.Empty, 1, 1, "pgbench", []));
        Assert.Throws<InvalidOperationException>(() => PgBench.ParseRun("nothing useful", string.Empty, 1, 1, "pgbench", [1]));
    }

    [Theory]
    [InlineData("0 1 28392 0 1796282422 209995", 28392L)]
    [InlineData("3 17 10002 1 1796282422 221518 5", 10002L)]
    [InlineData("3 17 failed 0 1796282422 209995", null)]
    [InlineData("1 4 skipped 0 1796282422 209995", null)]
    [InlineData("", null)]
    [InlineData("0 1", null)]
    public void LogLineLatencyMicroseconds_ThirdFieldWhenANumber(string line, long? expected) =>
        Assert.Equal(expected, PgBench.LogLineLatencyMicroseconds(line));

    [Fact]
    public void Percentile_NearestRank()
    {
        List<long> sorted = [1000, 2000, 3000, 4000];

        Assert.Equal(2.0, PgBench.Percentile(sorted, 0.50));
        Assert.Equal(4.0, PgBench.Percentile(sorted, 0.99));
        Assert.Equal(1.0, PgBench.Percentile(sorted, 0.01));
        Assert.True(double.IsNaN(PgBench.Percentile([], 0.5)));
    }

    [Theory]
    [InlineData(100, 2, 32)]
    [InlineData(2_000, 8, 32)]
    [InlineData(1_003, 3, 5)]
    [InlineData(64, 2, 32)]
    public void MemberNumber_EveryDrawOfEveryClientDistinctAndInRange(int members, int clients, int k)
    {
        var stratum = PgBenchBatchedScript.StratumSize(members, clients, k);
        Assert.True(stratum >= 1);
        var seen = new HashSet<int>();
        for (var client = 0; client < clients; client++)
        {
            for (var index = 0; index < k; index++)
            {
                for (var offset = 0; offset < stratum; offset++)
                {
                    var member = PgBenchBatchedScript.MemberNumber(members, clients, k, client, index, offset);
                    Assert.InRange(member, 1, members);
                    // Distinct over indices and offsets (a transaction's k draws never collide) and over clients (disjoint).
                    Assert.True(seen.Add(member), $"member {member} drawn twice");
                    Assert.Equal(client, (member - 1) % clients);
                }
            }
        }

        // Every member a client can draw is equally likely: k strata of the same size.
        Assert.Equal(clients * k * stratum, seen.Count);
    }

    [Fact]
    public void MemberNumber_OffsetOutsideTheStratum_Refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PgBenchBatchedScript.MemberNumber(100, 2, 5, 0, 0, 10));

    [Theory]
    [InlineData(2_000, 8, 32, true)]
    [InlineData(256, 8, 32, true)]
    [InlineData(255, 8, 32, false)]
    [InlineData(100_000, 64, 32, true)]
    [InlineData(0, 1, 1, false)]
    public void Fits_EachClientNeedsKMembersOfItsOwn(int members, int clients, int k, bool fits) =>
        Assert.Equal(fits, PgBenchBatchedScript.Fits(members, clients, k));

    [Fact]
    public void FitBatchedClients_TooManyClientsLeftOutInOrder()
    {
        var (fitting, skipped) = PgBench.FitBatchedClients(members: 300, batchSize: 32, clients: [2, 8, 16, 2]);

        Assert.Equal([2, 8], fitting);
        Assert.Equal([16], skipped);
    }

    [Fact]
    public void Text_OneCompoundCommandOfFourStatementsOverKMembers()
    {
        const int k = 32;
        var script = PgBenchBatchedScript.Text(k, events: 16, """{"tier": "Basic", "name": "O'Brien", "at": "2025-01-01T10:20:30Z"}""");
        var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // One key per member, each from its own stratum of the client's members.
        Assert.Equal(k, lines.Count(l => Regex.IsMatch(l, @"^\\set mgb_k\d+ 1 \+ :client_id \+ :mgb_clients \* \(\d+ \* :mgb_stratum \+ random\(0, :mgb_stratum - 1\)\)$")));
        // Sent as one message: statements joined by \; and a single ; at the very end, so pgbench
        // sends one Query that PostgreSQL runs as one implicit transaction.
        var sql = string.Join('\n', lines.Where(l => !l.StartsWith('\\')));
        var statements = sql.Split("\\;");
        Assert.Equal(4, statements.Length);
        Assert.StartsWith("WITH written AS (\nUPDATE bench_member AS m", statements[0], StringComparison.Ordinal);
        Assert.Contains("state = u.state, due_at = u.due_at, state_format = 2", statements[0], StringComparison.Ordinal);
        Assert.Contains("WHERE m.member_id = u.member_id AND m.version >= u.expected", statements[0], StringComparison.Ordinal);
        Assert.Contains($"SELECT bench_expect_written({k}, count(*)) FROM written", statements[0], StringComparison.Ordinal);
        Assert.Contains("INSERT INTO bench_ledger", statements[1], StringComparison.Ordinal);
        Assert.Contains("INSERT INTO bench_event", statements[2], StringComparison.Ordinal);
        Assert.Contains("INSERT INTO bench_member_part (member_id, kind, key, data, forget_at)", statements[3], StringComparison.Ordinal);
        Assert.EndsWith("ON CONFLICT (member_id, kind, key) DO UPDATE SET data = EXCLUDED.data, forget_at = EXCLUDED.forget_at;", sql.TrimEnd(), StringComparison.Ordinal);
        Assert.Single(Regex.Matches(sql, @"(?<!\\);"));

        // Set-based: the member ids of k members in the UPDATE and the ledger, of 16 in the events.
        var memberArray = "'{" + string.Join(',', Enumerable.Range(0, k).Select(i => $"b:mgb_k{i}")) + "}'::text[]";
        Assert.Contains(memberArray, statements[0], StringComparison.Ordinal);
        Assert.Contains(memberArray, statements[1], StringComparison.Ordinal);
        Assert.Contains("'{" + string.Join(',', Enumerable.Range(0, 16).Select(i => $"b:mgb_k{i}")) + "}'::text[]", statements[2], StringComparison.Ordinal);
        Assert.Contains($"array_fill('Earn'::text, ARRAY[{k}])", statements[1], StringComparison.Ordinal);
        // k state documents, quotes doubled.
        Assert.Equal(k, Regex.Matches(statements[0], Regex.Escape("""'{"tier": "Basic", "name": "O''Brien", "at": "2025-01-01T10:20:30Z"}'::jsonb""")).Count);
        Assert.Equal(16, Regex.Matches(statements[2], Regex.Escape("::jsonb")).Count);

        // Two parts per member, in the store's order (each member's lot, then its purchase), under
        // keys of this transaction: the lot's is its number, the purchase's its request id (the ledger row's).
        Assert.Contains("'{" + string.Join(',', Enumerable.Range(0, k).SelectMany(i => new[] { $"b:mgb_k{i}", $"b:mgb_k{i}" })) + "}'::text[]", statements[3], StringComparison.Ordinal);
        Assert.Contains("'{" + string.Join(',', Enumerable.Repeat("lot,purchase", k)) + "}'::text[]", statements[3], StringComparison.Ordinal);
        Assert.Contains("'{" + string.Join(',', Enumerable.Range(0, k).Select(i => $":mgb_tx,lt-r:mgb_tx-{i}")) + "}'::text[]", statements[3], StringComparison.Ordinal);
        Assert.Contains("'{" + string.Join(',', Enumerable.Range(0, k).Select(i => $"lt-r:mgb_tx-{i}")) + "}'::text[]", statements[1], StringComparison.Ordinal);
        Assert.Equal(2 * k, Regex.Matches(statements[3], Regex.Escape("::jsonb")).Count);
        for (var i = 0; i < k; i++)
        {
            Assert.Contains("'" + PgBenchBatchedScript.LotJson(i) + "'::jsonb,", statements[3], StringComparison.Ordinal);
            Assert.Contains("'" + PgBenchBatchedScript.PurchaseJson(i) + "'::jsonb", statements[3], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parts_RealDomainObjectsOfAnAccrueSized()
    {
        var lot = JsonDocument.Parse(PgBenchBatchedScript.LotJson(5)).RootElement;
        var purchase = JsonDocument.Parse(PgBenchBatchedScript.PurchaseJson(5)).RootElement;

        // Read back as the store reads its parts, and carrying the member's request of the transaction.
        Assert.Equal("lt-r:mgb_tx-5", MemberStateJson.DeserializePart<PointsLot>(PgBenchBatchedScript.LotJson(5)).SourceRequestId);
        var record = MemberStateJson.DeserializePart<PurchaseRecord>(PgBenchBatchedScript.PurchaseJson(5));
        Assert.Equal("lt-r:mgb_tx-5", record.RequestId);
        Assert.Equal("lt-r:mgb_tx-5", record.Receipt.RequestId);
        Assert.Equal(record.Lines.Sum(l => l.AmountFen), record.TotalFen);
        Assert.True(lot.TryGetProperty("remaining", out _));
        Assert.True(purchase.TryGetProperty("lines", out _));

        // About 150 bytes and about 1 KB, as the member store writes them.
        Assert.InRange(PgBenchBatchedScript.Bytes(PgBenchBatchedScript.LotJson(0)), 120, 300);
        Assert.InRange(PgBenchBatchedScript.Bytes(PgBenchBatchedScript.PurchaseJson(0)), 700, 1_600);
    }

    [Fact]
    public void Display_PartsAndStateAbbreviatedWithTheirSizes()
    {
        var display = PgBenchBatchedScript.Display(3, 1, 812);

        Assert.Contains("'<member core state JSON, 812 bytes>'::jsonb", display, StringComparison.Ordinal);
        Assert.Contains($"'<lot JSON, {PgBenchBatchedScript.Bytes(PgBenchBatchedScript.LotJson(0))} bytes>'::jsonb", display, StringComparison.Ordinal);
        Assert.Contains($"'<purchase JSON, {PgBenchBatchedScript.Bytes(PgBenchBatchedScript.PurchaseJson(0))} bytes>'::jsonb", display, StringComparison.Ordinal);
        Assert.Equal(4, display.Split("\\;").Length);
    }

    [Fact]
    public void Text_NoEvents_ThreeStatementsPartsStillWritten()
    {
        var script = PgBenchBatchedScript.Text(4, events: 0, "{}");

        Assert.Equal(3, script.Split("\\;").Length);
        Assert.DoesNotContain("bench_event", script, StringComparison.Ordinal);
        Assert.Contains("INSERT INTO bench_member_part", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_StateThatPgBenchWouldSubstituteInto_Refused()
    {
        Assert.Throws<ArgumentException>(() => PgBenchBatchedScript.Text(4, 2, """{"note": "x:mgb_k1"}"""));
        Assert.Throws<ArgumentOutOfRangeException>(() => PgBenchBatchedScript.Text(4, 5, "{}"));
        Assert.Throws<ArgumentOutOfRangeException>(() => PgBenchBatchedScript.Text(0, 0, "{}"));
    }

    [Fact]
    public void BatchedResult_MemberChangesAreTheBestRunsTransactionsTimesK()
    {
        PgBenchRun Run(int clients, double tps) => new(clients, clients, 5, (long)(tps * 5), 0, tps, 1, 1, 2, 3, "pgbench");
        var result = new PgBenchBatchedResult(32, 16, 900, "script", [Run(2, 150), Run(8, 210.5)], []);

        Assert.Equal(8, result.Best!.Clients);
        Assert.Equal(210.5 * 32, result.MemberChangesPerSecond, 6);
        Assert.True(double.IsNaN(new PgBenchBatchedResult(32, 16, 900, "script", [], [64]).MemberChangesPerSecond));
    }
}
