using MemberGrains.Domain;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The members' data source: statements used again are prepared on the server and stay prepared
/// when the connection goes back to the pool, unless the connection string says otherwise. The
/// store's writers commit through a pool of their own, one server session per writer.
/// </summary>
public sealed class MemberDataSourceTests
{
    private const string Statement = "SELECT count(*) FROM member WHERE member_id = $1";

    [Fact]
    public async Task CreateDataSource_StatementUsedAgainOnPooledConnection_PreparedAndKeptAcrossReturns()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("datasource");
        await using var dataSource = PersistenceServiceCollectionExtensions.CreateDataSource(connectionString + ";Maximum Pool Size=1");

        for (var i = 0; i < 3; i++)
        {
            // Each run opens the pool's only connection and gives it back.
            await RunAsync(dataSource);
        }

        Assert.Equal(1, await PreparedAsync(dataSource));
    }

    [Theory]
    [InlineData("Max Auto Prepare=0")]
    [InlineData("maxautoprepare=0")]
    public async Task CreateDataSource_ConnectionStringTurnsPreparingOff_NothingPrepared(string setting)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("datasource");
        await using var dataSource = PersistenceServiceCollectionExtensions.CreateDataSource($"{connectionString};Maximum Pool Size=1;{setting}");

        for (var i = 0; i < 3; i++)
        {
            await RunAsync(dataSource);
        }

        Assert.Equal(0, await PreparedAsync(dataSource));
    }

    [Theory]
    [InlineData("", "17s")] // not reset: the session keeps what was set
    [InlineData(";No Reset On Close=false", "0")] // reset at the return
    public async Task CreateDataSource_ConnectionBackToThePool_ResetOnlyWhenTheConnectionStringAsks(string setting, string timeoutAfterReturn)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("datasource");
        await using var dataSource = PersistenceServiceCollectionExtensions.CreateDataSource($"{connectionString};Maximum Pool Size=1{setting}");
        await using (var set = dataSource.CreateCommand("SET statement_timeout = '17s'"))
        {
            await set.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var show = dataSource.CreateCommand("SHOW statement_timeout");

        Assert.Equal(timeoutAfterReturn, await show.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AddMemberStore_CommitsAfterLoadsOpenedManyConnections_AllOnTheOneWritersSession()
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("writers");
        var settings = new Dictionary<string, string?> { ["MemberGrains:Store:Writers"] = "1" };
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddMemberStore(connectionString)
            .BuildServiceProvider();
        var store = services.GetRequiredService<MemberStore>();

        // Eight connections at once on the shared pool, as concurrent loads leave it: eight idle sessions.
        var shared = services.GetRequiredService<NpgsqlDataSource>();
        var opened = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => shared.OpenConnectionAsync(TestContext.Current.CancellationToken).AsTask()));
        foreach (var connection in opened)
        {
            await connection.DisposeAsync();
        }

        for (var i = 0; i < 16; i++)
        {
            await store.CommitAsync(NewMember(Make.MemberId()), TestContext.Current.CancellationToken);
        }

        // On the shared pool, which hands out its oldest idle connection, the commits went round all eight.
        Assert.Equal(1, await SessionsThatCommittedAsync(connectionString));
    }

    [Theory]
    [InlineData("", 2, 2, 0)]
    [InlineData(";Maximum Pool Size=50;Minimum Pool Size=5", 2, 2, 2)]
    [InlineData(";Minimum Pool Size=1", 4, 4, 1)]
    public async Task CreateWriterDataSource_PoolAsLargeAsTheWriters_DefaultsAsTheSharedOne(string setting, int writers, int max, int min)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("writers");
        await using var dataSource = PersistenceServiceCollectionExtensions.CreateWriterDataSource(connectionString + setting, writers);

        var built = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Assert.Equal((max, min, 32, true), (built.MaxPoolSize, built.MinPoolSize, built.MaxAutoPrepare, built.NoResetOnClose));
        await RunAsync(dataSource);
    }

    [Theory]
    [InlineData("", "force_generic_plan")]
    [InlineData(";Options=-c statement_timeout=17s", "force_generic_plan")]
    [InlineData(";Options=-c plan_cache_mode=force_custom_plan", "force_custom_plan")]
    public async Task CreateWriterDataSource_SessionsPlanOnceUnlessTheConnectionStringSaysOtherwise(string setting, string mode)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("writers");
        await using var writers = PersistenceServiceCollectionExtensions.CreateWriterDataSource(connectionString + setting, 1);
        await using var shared = PersistenceServiceCollectionExtensions.CreateDataSource(connectionString + setting);

        Assert.Equal(mode, await ShowAsync(writers, "plan_cache_mode"));
        Assert.Equal(setting.Contains("custom", StringComparison.Ordinal) ? "force_custom_plan" : "auto", await ShowAsync(shared, "plan_cache_mode"));
        Assert.Equal(setting.Contains("17s", StringComparison.Ordinal) ? "17s" : "0", await ShowAsync(writers, "statement_timeout"));
    }

    [Theory]
    [InlineData("Host=h;Max Auto Prepare=0", "Max Auto Prepare", true)]
    [InlineData("Host=h;MAXAUTOPREPARE=0", "Max Auto Prepare", true)]
    [InlineData("Host=h;Maximum Pool Size=5", "Max Auto Prepare", false)]
    [InlineData("Host=h", "No Reset On Close", false)]
    public void SetsKeyword_OnlyWhatTheStringItselfSets(string connectionString, string keyword, bool sets) =>
        Assert.Equal(sets, PersistenceServiceCollectionExtensions.SetsKeyword(connectionString, keyword));

    private static async Task RunAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand(Statement);
        command.Parameters.Add(new NpgsqlParameter { Value = "nobody" });
        Assert.Equal(0L, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    private static async Task<long> PreparedAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM member WHERE member_id = $1%'");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<string?> ShowAsync(NpgsqlDataSource dataSource, string setting)
    {
        await using var command = dataSource.CreateCommand($"SHOW {setting}");
        return (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<long> SessionsThatCommittedAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%member_expect_written(%'");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>A new member's first write: its row alone.</summary>
    private static MemberWrite NewMember(string memberId) => new()
    {
        MemberId = memberId,
        ExpectedVersion = 0,
        NewVersion = 1,
        Balance = 0,
        Tier = nameof(Tier.Regular),
        EnrolledAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
        StateJson = "{}",
        Ledger = [],
        Events = [],
        DueAt = null,
    };
}
