using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>Reads one silo's row of the Orleans membership table (schema 0001).</summary>
public sealed class SiloStatusReader(NpgsqlDataSource dataSource)
{
    /// <summary>Orleans' SiloStatus.Active as the clustering provider stores it.</summary>
    public const int Active = 3;

    private const string ReadStatus = """
        SELECT status FROM orleans_membership
        WHERE deployment_id = $1 AND address = $2 AND port = $3 AND generation = $4
        """;

    /// <summary>The silo's stored status, or null when it has no row (not joined yet, or cleaned up).</summary>
    public async Task<int?> ReadAsync(string clusterId, string address, int port, int generation, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ReadStatus);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = address });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = port });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = generation });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int status ? status : null;
    }
}
