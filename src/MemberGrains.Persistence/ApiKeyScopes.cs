namespace MemberGrains.Persistence;

/// <summary>The scopes' names and which scope covers which.</summary>
public static class ApiKeyScopes
{
    /// <summary>Every scope's name, narrowest first: what a request or a command line may say.</summary>
    public static IReadOnlyList<string> Names { get; } = ["screen", "pos", "admin"];

    /// <summary>The scope's name as stored and as written on the wire and the command line.</summary>
    public static string Name(ApiKeyScope scope) => scope switch
    {
        ApiKeyScope.Pos => "pos",
        ApiKeyScope.Screen => "screen",
        ApiKeyScope.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, "Not an API key scope."),
    };

    /// <summary>The scope named exactly (lower case) <paramref name="text"/>, or null.</summary>
    public static ApiKeyScope? Parse(string? text) => text switch
    {
        "pos" => ApiKeyScope.Pos,
        "screen" => ApiKeyScope.Screen,
        "admin" => ApiKeyScope.Admin,
        _ => null,
    };

    /// <summary>
    /// Whether a key of scope <paramref name="granted"/> may call what needs <paramref name="needed"/>:
    /// admin covers everything, pos covers pos and screen, screen only screen.
    /// </summary>
    public static bool Covers(ApiKeyScope granted, ApiKeyScope needed) =>
        granted == needed
        || granted == ApiKeyScope.Admin
        || (granted == ApiKeyScope.Pos && needed == ApiKeyScope.Screen);
}
