using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>
/// Applies the versioned schema scripts shipped in this assembly (<c>Schema/*.sql</c>, in name
/// order). Idempotent and safe to run from several silos at once: one transaction under an
/// advisory lock; a script is (re)applied when it is new or its text changed, and every script
/// is itself written to be re-runnable.
/// </summary>
public static partial class SchemaMigrator
{
    private const long AdvisoryLockKey = 0x4D454D4245524752; // "MEMBERGR"
    private const string ResourcePrefix = "MemberGrains.Schema.";

    /// <summary>The scripts in the order they are applied: (name, text).</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts { get; } = LoadScripts();

    /// <summary>Applies what is missing; returns the names of the scripts applied.</summary>
    public static async Task<IReadOnlyList<string>> ApplyAsync(string connectionString, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            connection,
            "CREATE TABLE IF NOT EXISTS membergrains_schema (script text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
            cancellationToken).ConfigureAwait(false);

        var applied = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var read = new NpgsqlCommand("SELECT script, sha256 FROM membergrains_schema", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                applied[reader.GetString(0)] = reader.GetString(1);
            }
        }

        var done = new List<string>();
        foreach (var (name, sql) in Scripts)
        {
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
            if (applied.TryGetValue(name, out var seen) && seen == hash)
            {
                continue;
            }

            LogApplying(logger, name);
            await ExecuteAsync(connection, sql, cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand(
                "INSERT INTO membergrains_schema (script, sha256) VALUES (@script, @sha) ON CONFLICT (script) DO UPDATE SET sha256 = EXCLUDED.sha256, applied_at = now()",
                connection);
            record.Parameters.AddWithValue("script", name);
            record.Parameters.AddWithValue("sha", hash);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            done.Add(name);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return done;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<(string Name, string Sql)> LoadScripts()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n => (n[ResourcePrefix.Length..], Read(assembly, n)))];
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applying schema script {Script}")]
    private static partial void LogApplying(ILogger logger, string script);
}
