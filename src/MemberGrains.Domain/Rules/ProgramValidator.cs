using System.Text.Json;

namespace MemberGrains.Domain.Rules;

/// <summary>Checks program documents before they can be published.</summary>
public static class ProgramValidator
{
    /// <summary>Parses and checks <paramref name="json"/>; never throws for a bad document.</summary>
    public static ProgramCheck Check(string json)
    {
        try
        {
            var program = ProgramJson.Deserialize(json);
            return Check(program);
        }
        catch (JsonException e)
        {
            return new ProgramCheck(null, [new ProgramProblem(e.Path ?? string.Empty, e.Message)]);
        }
    }

    /// <summary>Checks the rules of a parsed program.</summary>
    public static ProgramCheck Check(LoyaltyProgram program)
    {
        var problems = new List<ProgramProblem>();
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(program.TimeZone);
        }
        catch (TimeZoneNotFoundException)
        {
            problems.Add(new ProgramProblem("timeZone", $"Unknown time zone '{program.TimeZone}'."));
        }

        return new ProgramCheck(problems.Count == 0 ? program : null, problems);
    }
}
