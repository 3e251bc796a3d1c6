using System.Diagnostics;
using System.Globalization;

namespace MemberGrains.LoadTests.Hosting;

/// <summary>
/// Runs the silo as a child process of this same program (<c>silo</c> mode), so client and server
/// have their own garbage collectors, as in production, and the silo's memory is measured alone.
/// Its standard output and error go to <c>silo.log</c> in the run folder.
/// </summary>
internal sealed class ChildProcessSiloLauncher : ISiloLauncher
{
    /// <summary>Environment variable telling the child which process to outlive by no more than a second.</summary>
    public const string ParentVariable = "MEMBERGRAINS_LOADTEST_PARENT";

    public async Task<IRunningSilo> StartAsync(SiloLaunch launch, CancellationToken cancellationToken) =>
        await StartAsync(launch, SiloPorts.Free(), "silo.log", cancellationToken);

    /// <summary>
    /// Starts a silo on the given ports (a restart passes the ports the silo had, so clients and the
    /// cluster find it where it was) logging to <paramref name="logName"/> in the run folder
    /// (appended to); returns once its gRPC health check answers SERVING.
    /// </summary>
    public async Task<ChildSilo> StartAsync(SiloLaunch launch, SiloPorts ports, string logName, CancellationToken cancellationToken)
    {
        var settings = SiloSettingsArguments.For(launch, ports.Grpc, ports.Silo, ports.Gateway);
        var (program, prefix) = SelfCommand();
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = launch.RunDirectory,
        };
        foreach (var a in prefix)
        {
            info.ArgumentList.Add(a);
        }

        info.ArgumentList.Add(SiloMode.Verb);
        foreach (var (key, value) in settings)
        {
            info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--{key}={value}"));
        }

        info.Environment[ParentVariable] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var logPath = Path.Combine(launch.RunDirectory, logName);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var child = new ChildSilo(process, new Uri($"http://127.0.0.1:{ports.Grpc}"), logPath);
        try
        {
            await SiloReadiness.WaitAsync(child.GrpcAddress, child.ExitReason, TimeSpan.FromSeconds(120), cancellationToken);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// How to start this program again: its apphost, or <c>dotnet</c> with its assembly. Inside
    /// another program (a test host) it is this assembly's own apphost next to it, or <c>dotnet</c>
    /// with the assembly.
    /// </summary>
    private static (string Program, string[] Prefix) SelfCommand()
    {
        var assembly = typeof(ChildProcessSiloLauncher).Assembly;
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        if (System.Reflection.Assembly.GetEntryAssembly() != assembly)
        {
            var apphost = Path.ChangeExtension(assembly.Location, OperatingSystem.IsWindows() ? ".exe" : null);
            if (File.Exists(apphost))
            {
                return (apphost, []);
            }

            return ("dotnet", [assembly.Location]);
        }

        if (string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return (path, [assembly.Location]);
        }

        return (path, []);
    }
}
