using System.Globalization;
using MemberGrains.Domain;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.Silo.Auth;

/// <summary>
/// <c>keys create --scope admin --name ops</c>, <c>keys list</c>, <c>keys revoke KEYID</c> on the
/// silo binary: API keys written straight into the configured database, without a running silo
/// (the first admin key of an install; a way back in when every admin key is lost). Applies the
/// schema first. The database comes from configuration as for the silo
/// (<c>--ConnectionStrings:MemberGrains="Host=…"</c>, ConnectionStrings__MemberGrains).
/// Exit codes: 0 done, 1 unknown key, 2 bad command line or no database.
/// </summary>
public static class KeysCommand
{
    public const string Verb = "keys";

    private const string Usage = """
        Usage: MemberGrains.Silo keys create --scope pos|screen|admin --name NAME [--ConnectionStrings:MemberGrains="Host=…"]
               MemberGrains.Silo keys list                                  [--ConnectionStrings:MemberGrains="Host=…"]
               MemberGrains.Silo keys revoke KEYID                          [--ConnectionStrings:MemberGrains="Host=…"]
        create prints the key's text on stdout (the only time it is shown) and what it is on stderr.
        """;

    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.Out, Console.Error, cancellationToken);

    /// <summary>Runs the command, writing what it prints to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var positionals = new List<string>();
        var configuration = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, value) = arg.IndexOf('=', StringComparison.Ordinal) is > 0 and var equals ? (arg[..equals], arg[(equals + 1)..]) : (arg, (string?)null);
            if (name is "--scope" or "--name")
            {
                value ??= i + 1 < args.Count ? args[++i] : null;
                if (value is null)
                {
                    return await UsageErrorAsync(error, $"{name} needs a value.");
                }

                options[name] = value;
            }
            else if (arg.StartsWith('-'))
            {
                // Anything else is configuration, as the silo reads it (--Key=Value or --Key Value).
                configuration.Add(arg);
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith('-'))
                {
                    configuration.Add(args[++i]);
                }
            }
            else
            {
                positionals.Add(arg);
            }
        }

        var command = positionals.Count > 0 ? positionals[0] : null;
        var expected = command switch
        {
            "create" or "list" => 1,
            "revoke" => 2,
            _ => -1,
        };
        if (expected < 0 || positionals.Count != expected || (command != "create" && options.Count > 0))
        {
            return await UsageErrorAsync(error, command is null ? "keys needs create, list or revoke." : $"'keys {string.Join(' ', positionals)}' is not a keys command.");
        }

        var connectionString = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine([.. configuration])
            .Build()
            .GetConnectionString("MemberGrains");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await error.WriteLineAsync("keys needs a database: pass --ConnectionStrings:MemberGrains=\"Host=…;Username=…;Database=…\" or set ConnectionStrings__MemberGrains.");
            return 2;
        }

        using var loggers = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        await SchemaMigrator.ApplyAsync(connectionString, loggers.CreateLogger("keys"), cancellationToken);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var store = new ApiKeyStore(dataSource);
        return command switch
        {
            "create" => await CreateAsync(store, options, output, error, cancellationToken),
            "list" => await ListAsync(store, output, cancellationToken),
            _ => await RevokeAsync(store, positionals[1], output, error, cancellationToken),
        };
    }

    private static async Task<int> CreateAsync(ApiKeyStore store, Dictionary<string, string> options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (ApiKeyScopes.Parse(options.GetValueOrDefault("--scope")) is not { } scope)
        {
            return await UsageErrorAsync(error, "keys create needs --scope pos, screen or admin.");
        }

        var name = Validate.Normalized(options.GetValueOrDefault("--name") ?? string.Empty);
        if (Validate.TextProblem(name, ApiKeyStore.MaxNameLength) is { } problem)
        {
            return await UsageErrorAsync(error, $"--name {problem} (what or who the key is for, at most {ApiKeyStore.MaxNameLength} characters).");
        }

        var created = await store.CreateAsync(name, scope, $"offline keys create ({Environment.UserName}@{Environment.MachineName})", cancellationToken);
        await output.WriteLineAsync(created.KeyText);
        await error.WriteLineAsync($"Created API key {created.Info.KeyId} '{created.Info.Name}' of scope {ApiKeyScopes.Name(scope)}. Its text (above) is shown only now: the database keeps its SHA-256. Send it as 'authorization: Bearer <key>' or 'x-api-key: <key>'.");
        return 0;
    }

    private static async Task<int> ListAsync(ApiKeyStore store, TextWriter output, CancellationToken cancellationToken)
    {
        var keys = await store.ListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            await output.WriteLineAsync("No API keys.");
        }

        foreach (var key in keys)
        {
            await output.WriteLineAsync(Describe(key));
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(ApiKeyStore store, string keyId, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!ApiKeyText.IsKeyId(keyId))
        {
            return await UsageErrorAsync(error, $"'{keyId}' is not a key id ({ApiKeyText.KeyIdLength} lower-case hex digits, as keys list shows it).");
        }

        if (await store.RevokeAsync(keyId, cancellationToken) is not { } revoked)
        {
            await error.WriteLineAsync($"No API key has the id {keyId}.");
            return 1;
        }

        await output.WriteLineAsync(Describe(revoked));
        await error.WriteLineAsync("Running silos refuse it within MemberGrains:Auth:CacheSeconds (5 s by default).");
        return 0;
    }

    private static string Describe(ApiKeyInfo key) => string.Create(
        CultureInfo.InvariantCulture,
        $"{key.KeyId}  {ApiKeyScopes.Name(key.Scope),-6}  {key.Name}  · created {key.CreatedAt:yyyy-MM-dd HH:mm:ss}Z by {key.CreatedBy}{(key.RevokedAt is { } at ? $" · REVOKED {at:yyyy-MM-dd HH:mm:ss}Z" : string.Empty)}");

    private static async Task<int> UsageErrorAsync(TextWriter error, string message)
    {
        await error.WriteLineAsync($"Error: {message}");
        await error.WriteLineAsync(Usage);
        return 2;
    }
}
