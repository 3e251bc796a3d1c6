namespace MemberGrains.LoadTests;

/// <summary>Phase names, as <c>--skip</c> takes them.</summary>
internal static class PhaseNames
{
    public const string Population = "population";
    public const string Cold = "cold";
    public const string Activate = "activate";
    public const string History = "history";
    public const string SingleClient = "c1";
    public const string Saturation = "saturation";
    public const string AccrueSaturation = "accrue-saturation";
    public const string PgBench = "pgbench";
    public const string Profile = "profile";
    public const string Verify = "verify";

    public static IReadOnlyList<string> All { get; } = [Population, Cold, Activate, History, SingleClient, Saturation, AccrueSaturation, PgBench, Profile, Verify];
}
