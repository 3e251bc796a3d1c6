using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.LoadTests.Population;
using MemberGrains.LoadTests.Verification;
using MemberGrains.LoadTests.Workload;
using Npgsql;

namespace MemberGrains.LoadTests.Tests;

/// <summary>The verification can fail: planted duplicates, lost acknowledgements, refused writes and wrong balances are all found.</summary>
public sealed class LedgerVerifierTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task VerifyAsync_CleanRun_NothingFound()
    {
        var (connectionString, members) = await EnrolledAsync("vclean");
        MutationRecord[] records =
        [
            new(1, members.Prefix + "r1", MutationKind.Reserve, 100, MutationOutcome.Acknowledged),
            new(2, members.Prefix + "a2", MutationKind.Accrue, 0, MutationOutcome.Acknowledged),
            new(3, members.Prefix + "a3", MutationKind.Accrue, 0, MutationOutcome.Failed),
        ];

        var result = await LedgerVerifier.VerifyAsync(connectionString, members, records, Balances(members, 100), 10, Ct);

        Assert.True(result.Passed);
        Assert.Equal((0, 0, 0, 0, 0), (result.Lost, result.Duplicated, result.UnackedInLedger, result.HoldLedgerRows, result.BalanceMismatches));
        Assert.Equal(3, result.TouchedMembers);
        Assert.Equal(3, result.MemorySampled);
    }

    [Fact]
    public async Task VerifyAsync_PlantedDuplicateAndFakeAcknowledgement_DuplicatedOneLostOne()
    {
        var (connectionString, members) = await EnrolledAsync("vplant");
        // A second enrolment row for member 0 (same request id and kind), and a refused accrual of member 2 that is in the ledger anyway.
        await PlantAsync(connectionString, members.IdOf(0), 2, members.EnrollRequestId(0), "Enrollment", 100, 200);
        await PlantAsync(connectionString, members.IdOf(2), 2, members.Prefix + "a2", "Earn", 30, 130);
        MutationRecord[] records =
        [
            // Acknowledged with 50 points, never written.
            new(1, members.Prefix + "a1", MutationKind.Accrue, 50, MutationOutcome.Acknowledged),
            new(2, members.Prefix + "a2", MutationKind.Accrue, 0, MutationOutcome.Failed),
            new(3, members.Prefix + "r3", MutationKind.Reserve, 100, MutationOutcome.Acknowledged),
        ];
        var memory = Balances(members, 100);

        var result = await LedgerVerifier.VerifyAsync(connectionString, members, records, async (sample, ct) =>
        {
            var balances = new Dictionary<int, long>(await memory(sample, ct)) { [3] = 99 };
            return balances;
        }, 10, Ct);

        Assert.False(result.Passed);
        Assert.Equal(1, result.Duplicated);
        Assert.Equal(1, result.Lost);
        Assert.Equal(1, result.UnackedInLedger);
        Assert.Equal(1, result.LedgerBalanceMismatches); // member 2: row says 100, ledger sums to 130
        Assert.Equal(1, result.MemoryBalanceMismatches); // member 3: memory says 99
        Assert.Equal(2, result.BalanceMismatches);
        Assert.Contains(result.Examples, e => e.StartsWith("lost:", StringComparison.Ordinal) && e.Contains(members.Prefix + "a1", StringComparison.Ordinal));
        Assert.Contains(result.Examples, e => e.StartsWith("duplicated:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyAsync_UnknownOutcomeInLedger_Allowed()
    {
        var (connectionString, members) = await EnrolledAsync("vunknown");
        await PlantAsync(connectionString, members.IdOf(4), 2, members.Prefix + "a4", "Earn", 30, 130);
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(Ct);
            await using var fix = new NpgsqlCommand($"UPDATE member SET balance = 130 WHERE member_id = '{members.IdOf(4)}'", connection);
            await fix.ExecuteNonQueryAsync(Ct);
        }

        var result = await LedgerVerifier.VerifyAsync(connectionString, members, [new(4, members.Prefix + "a4", MutationKind.Accrue, 0, MutationOutcome.Unknown)], null, 0, Ct);

        Assert.True(result.Passed);
        Assert.Equal(1, result.Unknown);
    }

    private static Func<IReadOnlyList<int>, CancellationToken, Task<IReadOnlyDictionary<int, long>>> Balances(MemberDirectory members, long balance) =>
        (sample, _) => Task.FromResult<IReadOnlyDictionary<int, long>>(sample.Where(m => m < members.Count).ToDictionary(m => m, _ => balance));

    private static async Task<(string ConnectionString, MemberDirectory Members)> EnrolledAsync(string purpose)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync(purpose);
        var catalog = await ProgramSetup.LoadAsync(connectionString, [], Ct);
        var members = new MemberDirectory(purpose, 10, seed: 1);
        await new BulkEnroller(connectionString, members, catalog, TimeProvider.System).EnrollAsync(0, members.Count, 1, Ct);
        return (connectionString, members);
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
