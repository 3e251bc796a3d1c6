using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace MemberGrains.IntegrationTests;

/// <summary>The schema is applied at every start-up, possibly by several silos at once.</summary>
public sealed class SchemaMigratorTests
{
    [Fact]
    public async Task ApplyAsync_AppliedBefore_ChangesNothing()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("schema");

        var again = await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Empty(again);
        var db = new Db(connectionString);
        Assert.Equal(SchemaMigrator.Scripts.Count, await db.ScalarAsync<long>("SELECT COUNT(*) FROM membergrains_schema"));
    }

    [Fact]
    public async Task ApplyAsync_ScriptTextChanged_ReappliesItAndKeepsData()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("schema");
        var db = new Db(connectionString);
        await db.ExecuteAsync("UPDATE orleansquery SET querytext = 'broken' WHERE querykey = 'ReadFromStorageKey'");
        await db.ExecuteAsync("UPDATE membergrains_schema SET sha256 = 'old' WHERE script = '0001_orleans_providers.sql'");

        var applied = await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(["0001_orleans_providers.sql"], applied);
        Assert.NotEqual("broken", await db.ScalarAsync<string>("SELECT querytext FROM orleansquery WHERE querykey = 'ReadFromStorageKey'"));
    }

    [Fact]
    public async Task ApplyAsync_ProgramAndOutboxScriptReapplied_KeepsRowsAndTheWiderLedgerKinds()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("schema");
        var db = new Db(connectionString);
        await db.ExecuteAsync("""
            INSERT INTO loyalty_program (version, document, published_by) VALUES (1, '{}', 'test');
            INSERT INTO member (member_id, version, balance, tier, enrolled_at, updated_at, state, due_at)
                VALUES ('m-schema', 1, 5, 'Regular', now(), now(), '{}', now());
            INSERT INTO points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at)
                VALUES ('m-schema', 1, 'r-1', 'Activity', 5, 5, 1, '', '', now());
            INSERT INTO member_event (member_id, seq, kind, program_version, occurred_at) VALUES ('m-schema', 1, 'enrolled', 1, now());
            UPDATE membergrains_schema SET sha256 = 'old' WHERE script = '0003_program_and_outbox.sql';
            """);

        var applied = await SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken);

        Assert.Equal(["0003_program_and_outbox.sql"], applied);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT COUNT(*) FROM loyalty_program"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT COUNT(*) FROM member_event"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT COUNT(*) FROM member WHERE due_at IS NOT NULL"));
        await db.ExecuteAsync("""
            INSERT INTO points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at)
                VALUES ('m-schema', 2, 'r-2', 'DebtRecovery', -1, 4, 1, '', '', now());
            """);
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("""
            INSERT INTO points_ledger (member_id, seq, request_id, kind, points, balance_after, program_version, store_id, terminal_id, occurred_at)
                VALUES ('m-schema', 3, 'r-3', 'Bonus', 1, 5, 1, '', '', now());
            """));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("UPDATE member_event SET kind = 'changed'"));
    }

    [Fact]
    public async Task ApplyAsync_SeveralSilosAtOnceOnAnEmptyDatabase_AllSucceed()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("schema");
        var db = new Db(connectionString);
        await db.ExecuteAsync("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            SchemaMigrator.ApplyAsync(connectionString, NullLogger.Instance, TestContext.Current.CancellationToken)));

        Assert.Equal(SchemaMigrator.Scripts.Count, runs.Sum(r => r.Count));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT COUNT(*) FROM member"));
    }
}
