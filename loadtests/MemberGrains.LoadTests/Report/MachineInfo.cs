using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace MemberGrains.LoadTests.Report;

/// <summary>What machine and build produced the figures.</summary>
internal static class MachineInfo
{
    public static string CpuModel() =>
        ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
            : RuntimeInformation.ProcessArchitecture.ToString();

    public static string Memory()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        if (line is null)
        {
            return "unknown";
        }

        var kb = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture, $"{kb / 1024.0 / 1024.0:0.0} GiB");
    }

    public static string OperatingSystem()
    {
        var name = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) is { } line
            ? line["PRETTY_NAME=".Length..].Trim('"')
            : RuntimeInformation.OSDescription;
        var kernel = ReadLines("/proc/sys/kernel/osrelease").FirstOrDefault();
        return kernel is null ? name : $"{name}, kernel {kernel.Trim()}";
    }

    public static string Runtime() => $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture})";

    public static string ClientGc() => Gc(GCSettings.IsServerGC, MemberGrains.Silo.GcBudget.Current);

    /// <summary>A process's collector for the report: mode and gen0 budget (empty: the runtime's own).</summary>
    public static string Gc(bool serverGc, string gen0Budget) =>
        (serverGc ? "server GC" : "workstation GC") + (gen0Budget.Length > 0 ? $", gen0 budget {gen0Budget}" : ", gen0 budget the runtime's");

    /// <summary>The commit checked out in <paramref name="repository"/>, with " (dirty)" when the work tree has changes; "unknown" without git.</summary>
    public static string GitCommit(string repository)
    {
        var head = Git(repository, "rev-parse", "--short=12", "HEAD");
        if (head is null)
        {
            return "unknown";
        }

        var status = Git(repository, "status", "--porcelain", "--untracked-files=no");
        return string.IsNullOrWhiteSpace(status) ? head : $"{head} (dirty)";
    }

    private static string? Git(string repository, params string[] arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repository };
            foreach (var a in arguments)
            {
                info.ArgumentList.Add(a);
            }

            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Trim() : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }
}
