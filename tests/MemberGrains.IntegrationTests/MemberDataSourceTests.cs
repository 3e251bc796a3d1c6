using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The members' data source: statements used again are prepared on the server and stay prepared
/// when the connection goes back to the pool, unless the connection string says otherwise.
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
}
