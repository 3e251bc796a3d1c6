using Npgsql;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>Direct reads of what Postgres holds, to check the grains against.</summary>
public sealed class Db(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>(balance column, version) of a member row, or null if there is none.</summary>
    public async Task<(long Balance, long Version)?> MemberRowAsync(string memberId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT balance, version FROM member WHERE member_id = @id", connection);
        command.Parameters.AddWithValue("id", memberId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Sum of the member's ledger points.</summary>
    public Task<long> LedgerSumAsync(string memberId) =>
        ScalarAsync<long>("SELECT COALESCE(SUM(points), 0)::bigint FROM points_ledger WHERE member_id = @id", ("id", memberId));

    /// <summary>Number of ledger rows the request produced for the member.</summary>
    public Task<long> LedgerRowsAsync(string memberId, string requestId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @id AND request_id = @rid", ("id", memberId), ("rid", requestId));

    /// <summary>Number of ledger rows of the member.</summary>
    public Task<long> LedgerCountAsync(string memberId) =>
        ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id = @id", ("id", memberId));

    /// <summary>The member's outbox events as (seq, kind, program version), by seq.</summary>
    public async Task<IReadOnlyList<(long Seq, string Kind, int ProgramVersion)>> EventsAsync(string memberId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT seq, kind, program_version FROM member_event WHERE member_id = @id ORDER BY seq", connection);
        command.Parameters.AddWithValue("id", memberId);
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(long, string, int)>();
        while (await reader.ReadAsync())
        {
            events.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        }

        return events;
    }

    /// <summary>The member's due_at, or null (no row, or nothing scheduled).</summary>
    public async Task<DateTimeOffset?> DueAtAsync(string memberId)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("SELECT due_at FROM member WHERE member_id = @id", connection);
        command.Parameters.AddWithValue("id", memberId);
        var value = await command.ExecuteScalarAsync();
        return value is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    /// <summary>Closes this database's idle pooled connections (the test server's connection slots are shared by every test).</summary>
    public void ClearPool()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
