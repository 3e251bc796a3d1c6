using System.Text.Json.Nodes;
using MemberGrains.Domain.Rules;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// Program documents the tests run on (tests/programs, copied beside the test binaries). The flat
/// program is the one the older tests were written for: 1 point per CNY, 100 points at
/// enrolment, redemption from 1 point in steps of 1, no caps or campaigns.
/// </summary>
public static class TestPrograms
{
    /// <summary>Full path of tests/programs/flat-program.json in the test output.</summary>
    public static string FlatPath { get; } = Path.Combine(AppContext.BaseDirectory, "programs", "flat-program.json");

    /// <summary>The flat program's document text.</summary>
    public static string FlatJson => File.ReadAllText(FlatPath);

    /// <summary>The flat program's document with <paramref name="change"/> applied to its JSON.</summary>
    public static string FlatWith(Action<JsonObject> change)
    {
        var document = JsonNode.Parse(FlatJson)!.AsObject();
        change(document);
        return document.ToJsonString();
    }

    /// <summary>An in-memory catalog whose version 1 is the flat program.</summary>
    public static StaticProgramCatalog FlatCatalog() => new(ProgramJson.Deserialize(FlatJson));
}
