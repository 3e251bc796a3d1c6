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

    public async Task<IRunningSilo> StartAsync(SiloLaunch launch, CancellationToken cancellationToken)
    {
        var grpcPort = FreePort.Next();
        var settings = SiloSettingsArguments.For(launch, grpcPort, FreePort.Next(), FreePort.Next());
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
        var logPath = Path.Combine(launch.RunDirectory, "silo.log");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        var child = new ChildSilo(process, new Uri($"http://127.0.0.1:{grpcPort}"), logPath);
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

    /// <summary>How to start this program again: its apphost, or <c>dotnet</c> with its assembly.</summary>
    private static (string Program, string[] Prefix) SelfCommand()
    {
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown.");
        if (string.Equals(Path.GetFileNameWithoutExtension(path), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return (path, [typeof(ChildProcessSiloLauncher).Assembly.Location]);
        }

        return (path, []);
    }
}
