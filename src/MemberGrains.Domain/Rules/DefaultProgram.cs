namespace MemberGrains.Domain.Rules;

/// <summary>The program that ships with the project (docs/loyalty-program.md): what a fresh start runs as version 1.</summary>
public static class DefaultProgram
{
    private static readonly Lazy<string> DocumentText = new(ReadResource);

    /// <summary>The default program's JSON document.</summary>
    public static string Json => DocumentText.Value;

    /// <summary>The default program, parsed.</summary>
    public static LoyaltyProgram Document => ProgramJson.Deserialize(Json);

    private static string ReadResource()
    {
        using var stream = typeof(DefaultProgram).Assembly.GetManifestResourceStream("MemberGrains.Domain.Rules.default-program.json")
            ?? throw new InvalidOperationException("The default program resource is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
