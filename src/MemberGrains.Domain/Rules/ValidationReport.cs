using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// Collects the problems of one document. Values the structural pass had to replace (wrong kind,
/// missing, bad enum) are remembered as repaired: a rule that reads one of them is not reported,
/// because it would be judging a stand-in rather than what the operator wrote.
/// </summary>
internal sealed class ValidationReport
{
    private readonly List<ProgramProblem> _problems = [];
    private readonly List<ValidationPath> _repaired = [];

    public IReadOnlyList<ProgramProblem> Problems => _problems;

    public bool HasProblems => _problems.Count > 0;

    /// <summary>Reports a problem at <paramref name="path"/> unless it or any path in <paramref name="reads"/> touches a repaired value.</summary>
    public void Add(ValidationPath path, FormattableString message, params ReadOnlySpan<ValidationPath> reads)
    {
        if (TouchesRepaired(path))
        {
            return;
        }

        foreach (var read in reads)
        {
            if (TouchesRepaired(read))
            {
                return;
            }
        }

        _problems.Add(new ProgramProblem(path.Text, FormattableString.Invariant(message)));
    }

    /// <summary>Reports a problem in what the operator wrote (the structural pass): never held back.</summary>
    public void Structural(ValidationPath path, FormattableString message) =>
        _problems.Add(new ProgramProblem(path.Text, FormattableString.Invariant(message)));

    /// <summary>Reports a structural problem whose value has been replaced by a stand-in.</summary>
    public void Repaired(ValidationPath path, FormattableString message)
    {
        Structural(path, message);
        _repaired.Add(path);
    }

    /// <summary>Reports a value that is absent (a program built in code with a null where a value is required).</summary>
    public bool Present<T>(ValidationPath path, [NotNullWhen(true)] T? value)
        where T : class
    {
        if (value is not null)
        {
            return true;
        }

        Add(path, $"{path} is missing; it is required.");
        return false;
    }

    /// <summary>Reports an enum value that has no name (only possible for programs built in code).</summary>
    public void Defined<TEnum>(ValidationPath path, TEnum value)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            Add(path, $"{path} is {value}, which is not one of: {ValidationStructure.EnumNames(typeof(TEnum))}.");
        }
    }

    /// <summary>Requires <paramref name="min"/> ≤ <paramref name="value"/> ≤ <paramref name="max"/>.</summary>
    public void Between<T>(ValidationPath path, T value, T min, T max, string unit = "", string? why = null)
        where T : INumber<T>
    {
        if (value < min || value > max)
        {
            Add(path, $"{path} is {value}; it must be between {min} and {max}{Unit(unit, max)}.{Why(why)}");
        }
    }

    /// <summary>Requires <paramref name="value"/> ≥ <paramref name="min"/>.</summary>
    public void AtLeast<T>(ValidationPath path, T value, T min, string unit = "", string? why = null)
        where T : INumber<T>
    {
        if (value < min)
        {
            Add(path, $"{path} is {value}; it must be at least {min}{Unit(unit, min)}.{Why(why)}");
        }
    }

    /// <summary>Requires <paramref name="value"/> &gt; 0.</summary>
    public void Positive<T>(ValidationPath path, T value, string? why = null)
        where T : INumber<T>
    {
        if (value <= T.Zero)
        {
            Add(path, $"{path} is {value}; it must be greater than 0.{Why(why)}");
        }
    }

    private bool TouchesRepaired(ValidationPath path)
    {
        foreach (var repaired in _repaired)
        {
            if (repaired.Overlaps(path))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>" days", or " day" after a bound of 1 (units are given in the plural; the first word carries the number).</summary>
    private static string Unit<T>(string unit, T bound)
        where T : INumber<T>
    {
        if (unit.Length == 0)
        {
            return string.Empty;
        }

        var firstWord = unit.IndexOf(' ', StringComparison.Ordinal) is var space and >= 0 ? space : unit.Length;
        return bound == T.One && unit[firstWord - 1] == 's'
            ? " " + unit[..(firstWord - 1)] + unit[firstWord..]
            : " " + unit;
    }

    private static string Why(string? why) => why is null ? string.Empty : " " + why;
}
