using System.Globalization;
using System.Text;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// One rpc's run: its seeded random, and every contract violation found, reported together at the
/// end: a count per kind of problem, then one line per failing case (input, answer, problems).
/// </summary>
internal sealed class FuzzRun
{
    private const int Shown = 80;

    private readonly List<(int Index, string Input, string Answer, List<string> Problems)> _cases = [];
    private readonly List<string> _runProblems = [];

    public FuzzRun(string name)
    {
        Name = name;
        Seed = FuzzSeed.For(name);
        Random = new Random(Seed);
    }

    public string Name { get; }

    public int Seed { get; }

    public Random Random { get; }

    public int Cases { get; set; }

    public int Failures => _cases.Count + _runProblems.Count;

    public void Fail(FuzzCase fuzzCase, CallOutcome outcome, string problem)
    {
        if (_cases.Count > 0 && _cases[^1].Index == fuzzCase.Index)
        {
            _cases[^1].Problems.Add(problem);
            return;
        }

        _cases.Add((fuzzCase.Index, fuzzCase.Label, outcome.ToString(), [problem]));
    }

    public void Fail(string problem) => _runProblems.Add(problem);

    /// <summary>Fails the test with every violation and how to repeat the run.</summary>
    public void AssertPassed()
    {
        if (Failures == 0)
        {
            return;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Name}: {_cases.Count} of {Cases} cases broke the contract (seed {Seed}; repeat with {FuzzSeed.EnvironmentVariable}={FuzzSeed.Base}).");
        foreach (var problem in _runProblems)
        {
            text.Append("  RUN: ").AppendLine(problem);
        }

        foreach (var (problem, count) in _cases.SelectMany(c => c.Problems.Select(p => Answered(c.Answer) + ": " + p)).CountBy(p => p).OrderByDescending(p => p.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {count,4} × {problem}");
        }

        foreach (var (index, input, answer, problems) in _cases.Take(Shown))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  #{index} {input} → {answer}: {string.Join("; ", problems)}");
        }

        if (_cases.Count > Shown)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  … and {_cases.Count - Shown} more.");
        }

        Assert.Fail(text.ToString());
    }

    // The status of an answer, without its message (for counting alike problems).
    private static string Answered(string answer) => answer.Split(' ', 2)[0];
}
