using System.Globalization;
using MemberGrains.Silo;
using Microsoft.Extensions.Hosting;

namespace MemberGrains.LoadTests.Hosting;

/// <summary>
/// <c>MemberGrains.LoadTests silo --Key=Value …</c>: runs the real silo host (what
/// <c>src/MemberGrains.Silo</c> runs) in this process until SIGTERM, Ctrl+C or the parent load test exits.
/// </summary>
internal static class SiloMode
{
    public const string Verb = "silo";

    public static Task<int> RunAsync(string[] args) => SiloHost.RunAsync(args, WatchParent);

    /// <summary>Stops the silo within a second of the parent load test's death (it may have been killed outright).</summary>
    private static Timer? WatchParent(SiloHost silo)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(ChildProcessSiloLauncher.ParentVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
        {
            return null;
        }

        return new Timer(
            _ =>
            {
                if (!Directory.Exists($"/proc/{parent}"))
                {
                    silo.App.Lifetime.StopApplication();
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1));
    }
}
