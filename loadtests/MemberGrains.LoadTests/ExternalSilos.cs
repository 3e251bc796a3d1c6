using MemberGrains.LoadTests.Hosting;

namespace MemberGrains.LoadTests;

/// <summary>
/// <c>--silo-address URL[,URL…]</c>: drive silos that are already running (docker-compose.yml's, say)
/// instead of starting one as a child process. The run still enrols its members and verifies the
/// ledger in Postgres, so it needs the silos' database (<c>--connection-string</c>), and an API key
/// of scope admin (<c>--key</c> or the environment variable MEMBERGRAINS_KEY): it creates no key
/// in a database whose silos it does not own.
/// </summary>
internal static class ExternalSilos
{
    public const string OptionName = "--silo-address";

    /// <summary>Where the key for running silos comes from when --key is not given.</summary>
    public const string KeyVariable = "MEMBERGRAINS_KEY";

    public const string PgBenchNote = "pgbench is not installed here (it comes with the PostgreSQL server package; or set MEMBERGRAINS_PG_BIN), so no baseline and no accrue_vs_pgbench_ratio";

    /// <summary>
    /// The addresses in the option's values (repeated, comma-separated, or both), in order. Throws
    /// <see cref="FormatException"/> on anything but http(s) URLs, on an address given twice, and
    /// when the option was given without any address. No values: no addresses.
    /// </summary>
    public static IReadOnlyList<Uri> Parse(IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var addresses = new List<Uri>();
        foreach (var text in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host)
                || uri.AbsolutePath != "/"
                || !string.IsNullOrEmpty(uri.Query))
            {
                throw new FormatException($"{OptionName} takes silo gRPC URLs such as http://127.0.0.1:5080 (comma-separated or repeated), not '{text}'.");
            }

            if (addresses.Contains(uri))
            {
                throw new FormatException($"{OptionName}: {uri} is given twice; each silo once, please (calls are spread evenly over the list).");
            }

            addresses.Add(uri);
        }

        if (values.Count > 0 && addresses.Count == 0)
        {
            throw new FormatException($"{OptionName} needs at least one URL, such as http://127.0.0.1:5080.");
        }

        return addresses;
    }

    /// <summary>What is wrong with the combination of options, or null when nothing is.</summary>
    public static string? Problem(IReadOnlyList<Uri> addresses, string? connectionString, IReadOnlyList<string> siloConfig, string? key)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(siloConfig);
        if (addresses.Count == 0)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return $"{OptionName} needs --connection-string: the members are enrolled and the ledger is verified in the running silos' own database.";
        }

        if (siloConfig.Count > 0)
        {
            return $"--silo-config configures the silo the load test starts; with {OptionName} the silos run with their own settings.";
        }

        if (string.IsNullOrWhiteSpace(key))
        {
            return $"{OptionName} needs an API key of scope admin: --key mgk_… or the environment variable {KeyVariable} (create one with `dotnet MemberGrains.Silo.dll keys create --scope admin --name loadgen` against the silos' database).";
        }

        return null;
    }

    /// <summary>The silos' launcher: the given running silos, or a child-process silo.</summary>
    public static ISiloLauncher Launcher(RunOptions options) =>
        options.SiloAddresses.Count > 0 ? new ExternalSiloLauncher(options.SiloAddresses) : new ChildProcessSiloLauncher();

    /// <summary>
    /// Against running silos, phases that cannot run where the load test runs are skipped with a
    /// note: pgbench, when its binary is missing (the load generator's container has none).
    /// </summary>
    public static RunOptions Adjust(RunOptions options, bool pgBenchAvailable)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SiloAddresses.Count == 0 || pgBenchAvailable || !options.Runs(PhaseNames.PgBench))
        {
            return options;
        }

        var notes = new Dictionary<string, string>(options.SkipNotes, StringComparer.OrdinalIgnoreCase)
        {
            [PhaseNames.PgBench] = PgBenchNote,
        };
        return options with { SkipNotes = notes };
    }

    /// <summary>Whether pgbench is where the baseline looks for it.</summary>
    public static bool PgBenchAvailable() => RunDatabase.BinDirectory is { } bin && File.Exists(Path.Combine(bin, "pgbench"));
}
