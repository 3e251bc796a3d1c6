using System.Text.RegularExpressions;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// Reads what the silos logged since the scan was made (their logs only grow): the exceptions the
/// server turned into INTERNAL ("Unexpected failure in …"), silos told by the cluster that they are
/// dead, fatal errors. The client only sees "Internal error; it has been logged": this says what was logged.
/// </summary>
internal sealed partial class SiloLogScan
{
    private readonly IReadOnlyList<string> _paths;
    private readonly long[] _offsets;

    public SiloLogScan(IReadOnlyList<string> paths)
    {
        _paths = paths;
        _offsets = [.. paths.Select(p => File.Exists(p) ? new FileInfo(p).Length : 0)];
    }

    /// <summary>Counts of "operation: exception type" behind INTERNAL answers, and of silos told they were dead, logged since the scan was made.</summary>
    public IReadOnlyDictionary<string, long> Count()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in NewLines())
        {
            string? key = null;
            if (UnexpectedFailure().Match(line) is { Success: true } m)
            {
                key = $"{m.Groups["method"].Value[(m.Groups["method"].Value.LastIndexOf('/') + 1)..]}: {m.Groups["type"].Value}";
            }
            else if (line.Contains("fail: Orleans.Runtime.MembershipService.MembershipTableManager", StringComparison.Ordinal) && line.Contains("I have been told I am dead", StringComparison.Ordinal))
            {
                key = "silo told by the cluster it is dead (it stops: exit code 134)";
            }

            if (key is not null)
            {
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }

    /// <summary>The first fatal line logged since the scan was made (what stopped a silo), cut to 300 characters; null if none.</summary>
    public string? FirstFatal()
    {
        var line = NewLines().FirstOrDefault(l => l.Contains("I have been told I am dead", StringComparison.Ordinal) || l.Contains("FATAL", StringComparison.Ordinal) || l.Contains(" crit: ", StringComparison.Ordinal) || l.Contains("could not start", StringComparison.Ordinal));
        return line is null ? null : line.Length > 300 ? line[..300] + "…" : line;
    }

    private IEnumerable<string> NewLines()
    {
        for (var i = 0; i < _paths.Count; i++)
        {
            if (!File.Exists(_paths[i]))
            {
                continue;
            }

            using var stream = new FileStream(_paths[i], FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(_offsets[i], stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                yield return line;
            }
        }
    }

    [GeneratedRegex(@"Unexpected failure in (?<method>\S+) (?<type>[\w.]+(Exception|Error))")]
    private static partial Regex UnexpectedFailure();
}
