using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.Silo.Auth;

/// <summary>
/// A development silo on its embedded PostgreSQL creates one demo key per scope the first time it
/// starts on an empty key table, prints them, and writes them to <c>demo-keys.json</c> next to the
/// database's data folder (<c>src/MemberGrains.Silo/.data/demo-keys.json</c> for
/// <c>dotnet run --project src/MemberGrains.Silo</c>), where the CLI finds them. Later starts say
/// where the file is. Never outside Development, never on a configured database.
/// </summary>
public static class DemoKeys
{
    public const string FileName = "demo-keys.json";

    /// <summary>created_by of the demo keys.</summary>
    public const string CreatedBy = "development start-up";

    /// <summary>The demo keys: one per scope.</summary>
    public static IReadOnlyList<(string Name, ApiKeyScope Scope)> Keys { get; } =
    [
        ("demo pos (development)", ApiKeyScope.Pos),
        ("demo screen (development)", ApiKeyScope.Screen),
        ("demo admin (development)", ApiKeyScope.Admin),
    ];

    /// <summary>
    /// Creates the demo keys if the database has no key, writing them to <paramref name="folder"/>/demo-keys.json;
    /// returns what to tell the developer once the silo listens.
    /// </summary>
    public static async Task<string> EnsureAsync(string connectionString, string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, FileName);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var created = await new ApiKeyStore(dataSource).CreateIfNoneAsync(Keys, CreatedBy, cancellationToken);
        if (created.Count == 0)
        {
            return File.Exists(path)
                ? $"Development API keys: {path} (the CLI in this repository uses them; grpcurl: -H 'authorization: Bearer <key>')."
                : $"The database has API keys but {path} is missing: use a key you were given, create one with an admin key (CLI: keys create), or stop the silo and delete {folder} to start over with new demo keys.";
        }

        var keys = new JsonObject();
        foreach (var key in created)
        {
            keys[ApiKeyScopes.Name(key.Info.Scope)] = key.KeyText;
        }

        var document = new JsonObject
        {
            ["comment"] = "API keys a development silo created on its first start on its embedded PostgreSQL; valid for that database only. The CLI in this repository reads them from here.",
            ["created_at"] = created[0].Info.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["keys"] = keys,
        };
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        var rule = new string('-', 100);
        var text = new StringBuilder()
            .AppendLine(rule)
            .AppendLine("Development API keys, created now for this machine's embedded database (send one as 'authorization: Bearer <key>'):");
        foreach (var key in created)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {ApiKeyScopes.Name(key.Info.Scope),-7} {key.KeyText}  {What(key.Info.Scope)}");
        }

        return text
            .AppendLine(CultureInfo.InvariantCulture, $"Saved in {path}; the CLI in this repository uses them from there.")
            .Append(rule)
            .ToString();
    }

    private static string What(ApiKeyScope scope) => scope switch
    {
        ApiKeyScope.Pos => "tills: PointOfSale, StoreScreen",
        ApiKeyScope.Screen => "store screens: StoreScreen, the page /screen/?key=<key>",
        _ => "everything: Admin, Diagnostics, PointOfSale, StoreScreen",
    };
}
