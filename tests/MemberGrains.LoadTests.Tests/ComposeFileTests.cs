using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MemberGrains.LoadTests.Tests;

/// <summary>
/// docker-compose.yml at the repository root, checked without a Docker engine: <c>docker-compose
/// config</c> validates the file and prints it resolved (defaults interpolated, YAML anchors
/// merged), and the resolved file must keep the cluster's topology and settings.
/// </summary>
public sealed partial class ComposeFileTests
{
    private const string Tool = "docker-compose";
    private const string InstallHint = "install docker-compose: apt-get install --no-install-recommends docker-compose (it validates the file without a Docker engine)";
    private static readonly string[] Silos = ["silo1", "silo2", "silo3"];

    [Fact]
    public async Task ComposeFile_Config_IsValid()
    {
        var (exitCode, _, standardError) = await RunComposeAsync("config", "-q");

        Assert.True(exitCode == 0, $"{Tool} config -q failed with exit code {exitCode}:{Environment.NewLine}{standardError}");
        // Every ${VARIABLE} has a default: nothing resolves to an empty string unnoticed.
        Assert.DoesNotContain("variable is not set", standardError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ComposeFile_ResolvedConfig_ThreeAdoNetSilosOnPostgresWithHealthChecksAndScreenPorts()
    {
        var services = await ResolvedServicesAsync();

        Assert.Equal(["loadgen", "postgres", "silo1", "silo2", "silo3"], services.Keys.Order(StringComparer.Ordinal));
        var postgres = services["postgres"];
        Assert.Contains("image: postgres:15", postgres, StringComparison.Ordinal);
        Assert.Contains("pg_isready", postgres, StringComparison.Ordinal);

        var grpcPorts = new List<int>();
        var httpPorts = new List<int>();
        foreach (var name in Silos)
        {
            var silo = services[name];
            Assert.Contains("target: silo", silo, StringComparison.Ordinal);
            Assert.Contains("ASPNETCORE_ENVIRONMENT: Production", silo, StringComparison.Ordinal);
            Assert.Contains("MemberGrains__Clustering: AdoNet", silo, StringComparison.Ordinal);
            Assert.Contains($"MemberGrains__AdvertisedAddress: {name}", silo, StringComparison.Ordinal);
            Assert.Contains("MemberGrains__GrpcHost: 0.0.0.0", silo, StringComparison.Ordinal);
            Assert.Matches(@"MemberGrains__GrpcPort: '?5080'?", silo);
            // The store screens' HTTP/1.1 endpoint: its own port, on GrpcHost (0.0.0.0) too.
            Assert.Matches(@"MemberGrains__HttpPort: '?5081'?", silo);
            Assert.Contains("ConnectionStrings__MemberGrains: Host=postgres;", silo, StringComparison.Ordinal);
            // Npgsql's spelling; SQL Server's "Max Pool Size" stops the silo at start-up.
            Assert.Contains("Maximum Pool Size=", silo, StringComparison.Ordinal);
            Assert.DoesNotContain("Max Pool Size", silo, StringComparison.Ordinal);
            Assert.Contains("- CMD - dotnet - MemberGrains.Silo.dll - health - http://127.0.0.1:5080", silo, StringComparison.Ordinal);
            Assert.Contains("postgres: condition: service_healthy", silo, StringComparison.Ordinal);
            Assert.Contains("restart: unless-stopped", silo, StringComparison.Ordinal);
            var published = PublishedPort().Matches(silo).ToDictionary(
                m => int.Parse(m.Groups["target"].Value, System.Globalization.CultureInfo.InvariantCulture),
                m => int.Parse(m.Groups["host"].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(published.Count == 2, $"{name} should publish gRPC (5080) and HTTP (5081): {silo}");
            grpcPorts.Add(published[5080]);
            httpPorts.Add(published[5081]);
        }

        Assert.Equal([5081, 5082, 5083], grpcPorts);
        Assert.Equal([5181, 5182, 5183], httpPorts);
    }

    [Fact]
    public async Task ComposeFile_ResolvedConfig_LoadGeneratorOnlyInLoadProfileAgainstTheThreeSilos()
    {
        var loadgen = (await ResolvedServicesAsync())["loadgen"];

        Assert.Contains("profiles: - load", loadgen, StringComparison.Ordinal);
        Assert.Contains("target: loadgen", loadgen, StringComparison.Ordinal);
        Assert.Contains("- --silo-address - http://silo1:5080,http://silo2:5080,http://silo3:5080", loadgen, StringComparison.Ordinal);
        Assert.Contains("- --connection-string - Host=postgres;", loadgen, StringComparison.Ordinal);
        Assert.Contains("Maximum Pool Size=", loadgen, StringComparison.Ordinal);
        Assert.All(Silos, silo => Assert.Contains($"{silo}: condition: service_healthy", loadgen, StringComparison.Ordinal));
        // The operator's API key comes in through the environment, never on the command line.
        Assert.Contains("MEMBERGRAINS_KEY:", loadgen, StringComparison.Ordinal);
        Assert.DoesNotContain("--key", loadgen, StringComparison.Ordinal);
    }

    /// <summary>
    /// The resolved file's services, each as its block of text with whitespace collapsed to single
    /// spaces (the printed YAML folds long values onto the next line).
    /// </summary>
    private static async Task<Dictionary<string, string>> ResolvedServicesAsync()
    {
        var (exitCode, standardOutput, standardError) = await RunComposeAsync("config");
        Assert.True(exitCode == 0, $"{Tool} config failed with exit code {exitCode}:{Environment.NewLine}{standardError}");

        var services = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var block = new List<string>();
        var inServices = false;
        foreach (var line in standardOutput.Split('\n'))
        {
            if (line.Length > 0 && !char.IsWhiteSpace(line[0]))
            {
                Flush();
                inServices = line.TrimEnd() == "services:";
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            var service = ServiceHeader().Match(line);
            if (service.Success)
            {
                Flush();
                current = service.Groups[1].Value;
                continue;
            }

            block.Add(line);
        }

        Flush();
        return services;

        void Flush()
        {
            if (current is not null)
            {
                services[current] = Whitespace().Replace(string.Join(' ', block), " ").Trim();
            }

            current = null;
            block.Clear();
        }
    }

    /// <summary>Runs docker-compose on the repository's docker-compose.yml from the repository root.</summary>
    private static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunComposeAsync(params string[] arguments)
    {
        var root = RepositoryRoot.FindFrom(AppContext.BaseDirectory) ?? RepositoryRoot.Find();
        Assert.True(root is not null, $"No {RepositoryRoot.SolutionFile} above {AppContext.BaseDirectory}.");
        var file = Path.Combine(root, "docker-compose.yml");
        Assert.True(File.Exists(file), $"{file} is missing.");

        var info = new ProcessStartInfo(Tool)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add(file);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{Tool} did not start.");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"{Tool} is not on PATH ({e.Message}): {InstallHint}.");
            throw;
        }

        using (process)
        {
            var cancellationToken = TestContext.Current.CancellationToken;
            var standardOutput = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var standardError = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{Tool} {string.Join(' ', arguments)} did not finish within a minute.");
            }

            return (process.ExitCode, await standardOutput, await standardError);
        }
    }

    [GeneratedRegex(@"^  ([A-Za-z0-9_.-]+):\s*$")]
    private static partial Regex ServiceHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"published: ""?(?<host>\d+)""? target: ""?(?<target>\d+)""?")]
    private static partial Regex PublishedPort();
}
