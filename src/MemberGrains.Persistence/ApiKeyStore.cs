using MemberGrains.Domain;
using Npgsql;
using NpgsqlTypes;

namespace MemberGrains.Persistence;

/// <summary>
/// API keys in Postgres (table <c>api_key</c>): a key's text is shown once, when it is created;
/// the table keeps its id, name, scope and the SHA-256 of its secret. Verifying reads one row by
/// id; callers that verify on every request cache the answer (the silo's ApiKeyAuthorizer).
/// </summary>
public sealed class ApiKeyStore(NpgsqlDataSource dataSource)
{
    /// <summary>Longest key name.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Longest created_by.</summary>
    public const int MaxCreatedByLength = 256;

    private const long SeedLockKey = 0x4D475F4150494B59; // "MG_APIKY"

    private const string Columns = "key_id, name, scope, created_at, created_by, revoked_at";

    /// <summary>
    /// Creates a key of <paramref name="scope"/> named <paramref name="name"/> (Unicode text, 1–128
    /// characters, no control or format characters: <see cref="ArgumentException"/> otherwise).
    /// </summary>
    public async Task<CreatedApiKey> CreateAsync(string name, ApiKeyScope scope, string createdBy, CancellationToken cancellationToken = default)
    {
        CheckNew(name, scope, createdBy);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await InsertAsync(connection, null, name, scope, createdBy, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates <paramref name="keys"/> if the table holds no key at all (under an advisory lock, so
    /// two silos starting on one empty database create one set); returns them, or nothing when
    /// keys existed.
    /// </summary>
    public async Task<IReadOnlyList<CreatedApiKey>> CreateIfNoneAsync(IReadOnlyList<(string Name, ApiKeyScope Scope)> keys, string createdBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var (name, scope) in keys)
        {
            CheckNew(name, scope, createdBy);
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SeedLockKey})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var any = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM api_key)", connection, transaction))
        {
            if ((bool)(await any.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return [];
            }
        }

        var created = new List<CreatedApiKey>();
        foreach (var (name, scope) in keys)
        {
            created.Add(await InsertAsync(connection, transaction, name, scope, createdBy, cancellationToken).ConfigureAwait(false));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// Revokes the key: from now on it is <see cref="ApiKeyFailure.Revoked"/> (silos that cached it
    /// notice within their cache time). Revoking a revoked key changes nothing. Null when no key has this id.
    /// </summary>
    public async Task<ApiKeyInfo?> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyText.IsKeyId(keyId))
        {
            return null;
        }

        // The row as it is after the statement: revoked now, or when it was revoked before.
        await using var command = dataSource.CreateCommand(
            $"""
            WITH revoked AS (
                UPDATE api_key SET revoked_at = now() WHERE key_id = $1 AND revoked_at IS NULL
                RETURNING {Columns}
            )
            SELECT {Columns} FROM revoked
            UNION ALL
            SELECT {Columns} FROM api_key WHERE key_id = $1 AND NOT EXISTS (SELECT 1 FROM revoked)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        return (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).SingleOrDefault();
    }

    /// <summary>Every key, valid and revoked, oldest first; never a secret or its hash.</summary>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM api_key ORDER BY created_at, key_id");
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The key's row with its secret's hash, or null when no key has this id.</summary>
    public async Task<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (!ApiKeyText.IsKeyId(keyId))
        {
            return null;
        }

        await using var command = dataSource.CreateCommand($"SELECT {Columns}, secret_sha256 FROM api_key WHERE key_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = keyId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new StoredApiKey(Info(reader), reader.GetFieldValue<byte[]>(6))
            : null;
    }

    /// <summary>What <paramref name="keyText"/> is: a valid key, or why not. Reads Postgres every time.</summary>
    public async Task<ApiKeyVerification> VerifyAsync(string? keyText, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(keyText))
        {
            return ApiKeyVerification.Missing;
        }

        if (ApiKeyText.Parse(keyText) is not { } key)
        {
            return ApiKeyVerification.Malformed;
        }

        return ApiKeyVerification.Check(key, await FindAsync(key.KeyId, cancellationToken).ConfigureAwait(false));
    }

    private static void CheckNew(string name, ApiKeyScope scope, string createdBy)
    {
        if (Validate.TextProblem(name, MaxNameLength) is { } problem)
        {
            throw new ArgumentException($"The key's name {problem}.", nameof(name));
        }

        if (!Enum.IsDefined(scope))
        {
            throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not an API key scope.");
        }

        if (string.IsNullOrWhiteSpace(createdBy) || createdBy.Length > MaxCreatedByLength)
        {
            throw new ArgumentException($"created_by must say who creates the key, in at most {MaxCreatedByLength} characters.", nameof(createdBy));
        }
    }

    private static async Task<CreatedApiKey> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, ApiKeyScope scope, string createdBy, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (text, keyId, hash) = ApiKeyText.New();
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO api_key (key_id, name, scope, secret_sha256, created_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_id) DO NOTHING RETURNING {Columns}",
                connection,
                transaction);
            insert.Parameters.Add(new NpgsqlParameter { Value = keyId });
            insert.Parameters.Add(new NpgsqlParameter { Value = name });
            insert.Parameters.Add(new NpgsqlParameter { Value = ApiKeyScopes.Name(scope) });
            insert.Parameters.Add(new NpgsqlParameter { Value = hash, NpgsqlDbType = NpgsqlDbType.Bytea });
            insert.Parameters.Add(new NpgsqlParameter { Value = createdBy });
            var rows = await ReadAsync(insert, cancellationToken).ConfigureAwait(false);
            if (rows.Count == 1)
            {
                return new CreatedApiKey(rows[0], text);
            }

            // 8 random bytes collide about never; a second draw settles it.
            if (attempt == 3)
            {
                throw new InvalidOperationException("Could not draw an unused API key id.");
            }
        }
    }

    private static async Task<List<ApiKeyInfo>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKeyInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Info(reader));
        }

        return keys;
    }

    private static ApiKeyInfo Info(NpgsqlDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        ApiKeyScopes.Parse(reader.GetString(2)) ?? throw new InvalidOperationException($"api_key {reader.GetString(0)} has the unknown scope '{reader.GetString(2)}'."),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
}
