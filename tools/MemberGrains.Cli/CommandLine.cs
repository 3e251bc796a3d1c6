using System.Globalization;

namespace MemberGrains.Cli;

/// <summary>A wrong command line: printed with a hint to --help, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>
/// Hand-rolled parsing: <c>command [member-id | subcommand [argument]] [--option value | --option=value | --flag]...</c>.
/// Options may repeat (--line); every option is checked against the command's known set.
/// </summary>
internal sealed class CommandLine
{
    private static readonly HashSet<string> Flags = ["--json", "--help", "-h", "--marketing", "--personalisation", "--document-only"];

    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    private CommandLine()
    {
    }

    public string? Command => _positionals.Count > 0 ? _positionals[0] : null;

    public bool Help => Has("--help") || Has("-h");

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                line._positionals.Add(arg);
                continue;
            }

            string name;
            string value;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                name = arg[..equals];
                value = arg[(equals + 1)..];
            }
            else if (Flags.Contains(arg))
            {
                name = arg;
                value = "true";
            }
            else
            {
                name = arg;
                if (i + 1 >= args.Count)
                {
                    throw new UsageException($"{name} needs a value.");
                }

                value = args[++i];
            }

            if (!line._options.TryGetValue(name, out var values))
            {
                line._options[name] = values = [];
            }

            values.Add(value);
        }

        return line;
    }

    /// <summary>Refuses options the command does not know and extra positional arguments.</summary>
    public void Check(IEnumerable<string> allowed, int positionals)
    {
        var known = new HashSet<string>(allowed, StringComparer.Ordinal) { "--address", "--key", "--json", "--help", "-h", "--timeout" };
        foreach (var name in _options.Keys)
        {
            if (!known.Contains(name))
            {
                throw new UsageException($"Unknown option {name} for '{Command}'.");
            }
        }

        if (_positionals.Count > positionals + 1)
        {
            throw new UsageException($"Unexpected argument '{_positionals[positionals + 1]}'.");
        }
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string MemberId => _positionals.Count > 1 ? _positionals[1] : throw new UsageException($"'{Command}' needs a member id, e.g. {Command} M1001.");

    /// <summary>The positional argument at <paramref name="index"/> (0 is the command), or a usage error saying what is missing.</summary>
    public string Argument(int index, string missing) => _positionals.Count > index ? _positionals[index] : throw new UsageException(missing);

    public string? Get(string name) => _options.TryGetValue(name, out var values) ? values[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _options.TryGetValue(name, out var values) ? values : [];

    public string Required(string name) => Get(name) ?? throw new UsageException($"'{Command}' needs {name}.");

    public long? GetInt64(string name)
    {
        var text = Get(name);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{name}: '{text}' is not a whole number.");
    }

    public int? GetInt32(string name)
    {
        var value = GetInt64(name);
        return value is null or (>= int.MinValue and <= int.MaxValue)
            ? (int?)value
            : throw new UsageException($"{name}: '{value}' is too large.");
    }

    public long? GetFen(string name)
    {
        var text = Get(name);
        return text is null ? null : Money.ParseFen(text, name);
    }
}

/// <summary>CNY on the command line, integer fen on the wire.</summary>
internal static class Money
{
    /// <summary>Parses "258", "258.5" or "258.00" (InvariantCulture) exactly into fen; more than 2 decimals is refused.</summary>
    public static long ParseFen(string text, string what)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan))
        {
            throw new UsageException($"{what}: '{text}' is not an amount in CNY (e.g. 258.00).");
        }

        var fen = yuan * 100m;
        if (fen != decimal.Truncate(fen))
        {
            throw new UsageException($"{what}: '{text}' has more than 2 decimals; amounts are CNY with at most 2 decimals (fen).");
        }

        try
        {
            return decimal.ToInt64(fen);
        }
        catch (OverflowException)
        {
            throw new UsageException($"{what}: '{text}' is too large.");
        }
    }

    public static string Format(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
