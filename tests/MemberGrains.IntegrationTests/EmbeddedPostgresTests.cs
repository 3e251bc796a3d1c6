using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>The development database the silo starts by itself.</summary>
public sealed class EmbeddedPostgresTests
{
    [Fact]
    public async Task StartAsync_ExistingDataFolder_KeepsDataAcrossRestarts()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), $"mg-embedded-{Guid.NewGuid():N}");
        try
        {
            await using (var first = await EmbeddedPostgres.StartAsync(folder, "keepme", NullLogger.Instance, ct))
            {
                await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)", ct);
            }

            await using var second = await EmbeddedPostgres.StartAsync(folder, "keepme", NullLogger.Instance, ct);
            await using var connection = new NpgsqlConnection(second.ConnectionString);
            await connection.OpenAsync(ct);
            await using var read = new NpgsqlCommand("SELECT v FROM kept", connection);
            Assert.Equal(42, await read.ExecuteScalarAsync(ct));
            Assert.True(File.Exists(Path.Combine(folder, "PG_VERSION")));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task StopAsync_TemporaryServer_RemovesItsFolderAndRefusesConnections()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await EmbeddedPostgres.StartAsync(null, "scratch", NullLogger.Instance, ct);
        await ExecuteAsync(server.ConnectionString, "SELECT 1", ct);

        await server.StopAsync();

        Assert.False(Directory.Exists(server.DataDirectory));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(server.ConnectionString, "SELECT 1", ct));
    }

    private static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
