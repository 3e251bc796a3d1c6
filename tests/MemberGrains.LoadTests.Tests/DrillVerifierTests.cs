using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.LoadTests.Drills;
using MemberGrains.LoadTests.Population;
using MemberGrains.LoadTests.Workload;
using Npgsql;

namespace MemberGrains.LoadTests.Tests;

/// <summary>The drills' verification can fail: planted duplicate, lost and wrong ledger rows, balances that differ, a refused request that was applied anyway.</summary>
public sealed class DrillVerifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VerifyAsync_CleanDrill_NothingFound()
    {
        var (connectionString, members) = await EnrolledAsync("dclean");
        var records = Enumerable.Range(0, members.Count).Select(i => Enrolment(members, i)).ToList();
        records.Add(new DrillRecord(members.IdOf(1), members.Prefix + "r1", MutationKind.Reserve, 100, MutationOutcome.Acknowledged));

        var result = await DrillVerifier.VerifyAsync(connectionString, members.Prefix, records, Balances(members, 100), Memory(100), Ct);

        Assert.True(result.Passed, string.Join("; ", result.Examples));
        Assert.Equal((0L, 0L, 0L, 0L, 0L), (result.Lost, result.Duplicated, result.PhantomRows, result.Refused, result.Unknown));
        Assert.Equal(members.Count, result.LedgerBearing);
        Assert.Equal(members.Count, result.MembersChecked);
        Assert.Equal(members.Count, result.ModelChecked);
        Assert.Equal(2 * members.Count, result.MemoryReadings);
    }

    [Fact]
    public async Task VerifyAsync_PlantedDuplicateRow_Duplicated()
    {
        var (connectionString, members) = await EnrolledAsync("ddup");
        // A second enrolment row for member 0: same request id and kind (the member row is corrected, so only the duplicate is wrong).
        await PlantAsync(connectionString, members.IdOf(0), 2, members.EnrollRequestId(0), "Enrollment", 100, 200);
        await SetBalanceAsync(connectionString, members.IdOf(0), 200);
        var expected = Balances(members, 100);
        expected[members.IdOf(0)] = 200;

        var result = await DrillVerifier.VerifyAsync(connectionString, members.Prefix, [Enrolment(members, 0)], expected, null, Ct);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Duplicated);
        Assert.Equal(0, result.Lost);
        Assert.Contains(result.Examples, e => e.StartsWith("duplicated: Enrollment " + members.EnrollRequestId(0), StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_PlantedLostAndWrongRows_Lost()
    {
        var (connectionString, members) = await EnrolledAsync("dlost");
        // Member 1: an accrual acknowledged with 50 points was never written. Member 2: acknowledged with 40 points, written with 30.
        await PlantAsync(connectionString, members.IdOf(2), 2, members.Prefix + "a2", "Earn", 30, 130);
        await SetBalanceAsync(connectionString, members.IdOf(2), 130);
        DrillRecord[] records =
        [
            new(members.IdOf(1), members.Prefix + "a1", MutationKind.Accrue, 50, MutationOutcome.Acknowledged),
            new(members.IdOf(2), members.Prefix + "a2", MutationKind.Accrue, 40, MutationOutcome.Acknowledged),
        ];
        var expected = Balances(members, 100);
        expected[members.IdOf(1)] = 150;
        expected[members.IdOf(2)] = 140;

        var result = await DrillVerifier.VerifyAsync(connectionString, members.Prefix, records, expected, null, Ct);

        Assert.False(result.Passed);
        Assert.Equal(1, result.LostRows);
        Assert.Equal(1, result.WrongPointsRows);
        Assert.Equal(2, result.ModelMismatches);
        Assert.Equal(4, result.Lost);
        Assert.Equal(0, result.Duplicated);
        Assert.Contains(result.Examples, e => e.StartsWith("lost: Accrue " + members.Prefix + "a1", StringComparison.Ordinal));
        Assert.Contains(result.Examples, e => e.StartsWith("wrong points: Accrue " + members.Prefix + "a2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_LedgerOrMemoryDisagreesWithMemberRow_Lost()
    {
        var (connectionString, members) = await EnrolledAsync("dbal");
        // Member 3's row says 130 but its ledger sums to 100; member 4 reads 99 through one silo.
        await SetBalanceAsync(connectionString, members.IdOf(3), 130);
        var expected = Balances(members, 100);
        expected[members.IdOf(3)] = 130;
        var memory = Memory(100, (members.IdOf(3), "silo 1", 130), (members.IdOf(3), "silo 2", 130), (members.IdOf(4), "silo 2", 99));

        var result = await DrillVerifier.VerifyAsync(connectionString, members.Prefix, [], expected, memory, Ct);

        Assert.Equal(1, result.LedgerMismatches);
        Assert.Equal(1, result.MemoryMismatches);
        Assert.Equal(0, result.ModelMismatches);
        Assert.Equal(2, result.Lost);
        Assert.Contains(result.Examples, e => e == $"GetMember through silo 2 says 99 but Postgres 100 for {members.IdOf(4)}");
    }

    [Fact]
    public async Task VerifyAsync_PlantedWrongAnswerApplied_RefusedAndPhantomRow()
    {
        var (connectionString, members) = await EnrolledAsync("dwrong");
        // A capture the server refused (a wrong answer) whose redemption is in the ledger anyway, and a reservation with a ledger row.
        await PlantAsync(connectionString, members.IdOf(5), 2, members.Prefix + "c5", "Redeem", -100, 0);
        await PlantAsync(connectionString, members.IdOf(5), 3, members.Prefix + "r5", "Redeem", -1, -1);
        DrillRecord[] records =
        [
            new(members.IdOf(5), members.Prefix + "r5", MutationKind.Reserve, 100, MutationOutcome.Acknowledged),
            new(members.IdOf(5), members.Prefix + "c5", MutationKind.Capture, 0, MutationOutcome.Failed),
        ];

        var result = await DrillVerifier.VerifyAsync(connectionString, members.Prefix, records, new Dictionary<string, long>(), null, Ct);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Refused);
        Assert.Equal(2, result.PhantomRows);
        Assert.Contains(result.Examples, e => e.StartsWith("in the ledger but refused: Capture " + members.Prefix + "c5", StringComparison.Ordinal));
        Assert.Contains(result.Examples, e => e.StartsWith("in the ledger but a hold: Reserve " + members.Prefix + "r5", StringComparison.Ordinal));
    }

    private static DrillRecord Enrolment(MemberDirectory members, int i) =>
        new(members.IdOf(i), members.EnrollRequestId(i), MutationKind.Enroll, 100, MutationOutcome.Acknowledged);

    private static Dictionary<string, long> Balances(MemberDirectory members, long balance) =>
        Enumerable.Range(0, members.Count).ToDictionary(members.IdOf, _ => balance, StringComparer.Ordinal);

    /// <summary>Two silos answering <paramref name="balance"/> for every member, but the given exceptions.</summary>
    private static Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyList<MemoryReading>>> Memory(long balance, params (string Member, string Silo, long Balance)[] exceptions) =>
        (ids, _) => Task.FromResult<IReadOnlyList<MemoryReading>>(
        [
            .. new[] { "silo 1", "silo 2" }.SelectMany(silo => ids.Select(id => new MemoryReading(
                id,
                silo,
                exceptions.FirstOrDefault(e => e.Member == id && e.Silo == silo) is { Member: not null } e ? e.Balance : balance,
                null))),
        ]);

    private static async Task<(string ConnectionString, MemberDirectory Members)> EnrolledAsync(string purpose)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync(purpose);
        var catalog = await ProgramSetup.LoadAsync(connectionString, [], Ct);
        var members = new MemberDirectory(purpose, 8, seed: 1);
        await new BulkEnroller(connectionString, members, catalog, TimeProvider.System).EnrollAsync(0, members.Count, 1, Ct);
        return (connectionString, members);
    }

    private static async Task SetBalanceAsync(string connectionString, string memberId, long balance)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var update = new NpgsqlCommand("UPDATE member SET balance = $1 WHERE member_id = $2", connection);
        update.Parameters.Add(new NpgsqlParameter { Value = balance });
        update.Parameters.Add(new NpgsqlParameter { Value = memberId });
        await update.ExecuteNonQueryAsync(Ct);
    }

    private static async Task PlantAsync(string connectionString, string memberId, long seq, string requestId, string kind, long points, long balanceAfter)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var insert = new NpgsqlCommand(
            "INSERT INTO points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, 1, '', '', now())",
            connection);
        foreach (var value in new object[] { memberId, seq, requestId, kind, points, balanceAfter })
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await insert.ExecuteNonQueryAsync(Ct);
    }
}
