using System.Text.Json;

namespace MemberGrains.Cli;

/// <summary>
/// Which API key a command sends: <c>--key</c>, else <c>MEMBERGRAINS_KEY</c>, else the key of the
/// scope the command needs from the development silo's <c>demo-keys.json</c>
/// (src/MemberGrains.Silo/.data/ under the repository the CLI is run in, or .data/ or the current
/// folder), saying on stderr which one it took.
/// </summary>
internal sealed record ApiKeySource(string? Key, string? Note)
{
    public const string EnvironmentVariable = "MEMBERGRAINS_KEY";

    /// <summary>Where a development silo started from the repository writes its demo keys, relative to the repository root.</summary>
    public static readonly string DemoKeysPath = Path.Combine("src", "MemberGrains.Silo", ".data", "demo-keys.json");

    public static ApiKeySource Resolve(string? option, string scope)
    {
        if (!string.IsNullOrWhiteSpace(option))
        {
            return new ApiKeySource(option.Trim(), null);
        }

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            return new ApiKeySource(fromEnvironment.Trim(), null);
        }

        foreach (var path in Candidates())
        {
            if (Read(path, scope) is { } demo)
            {
                return new ApiKeySource(demo, $"using the {scope} demo key from {path} (pass --key or set {EnvironmentVariable} to use another)");
            }
        }

        return new ApiKeySource(null, $"no API key: pass --key KEY or set {EnvironmentVariable} (a development silo writes demo keys to {DemoKeysPath})");
    }

    private static IEnumerable<string> Candidates()
    {
        var here = Environment.CurrentDirectory;
        for (var folder = new DirectoryInfo(here); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "MemberGrains.sln")))
            {
                yield return Path.Combine(folder.FullName, DemoKeysPath);
                break;
            }
        }

        yield return Path.Combine(here, DemoKeysPath);
        yield return Path.Combine(here, ".data", "demo-keys.json");
        yield return Path.Combine(here, "demo-keys.json");
    }

    private static string? Read(string path, string scope)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("keys", out var keys) && keys.TryGetProperty(scope, out var key) && key.GetString() is { Length: > 0 } text
                ? text
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
