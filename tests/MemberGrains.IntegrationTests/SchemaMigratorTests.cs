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
