using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests;

/// <summary>Programs the tests run on.</summary>
internal static class TestPrograms
{
    /// <summary>Version every test catalog starts at.</summary>
    public const int Version = 1;

    /// <summary>
    /// tests/programs/flat-program.json: 1 point per CNY, no bonus, redemptions of any size, no risk
    /// actions — the foundation's base rules, for tests about mechanics rather than program rules.
    /// </summary>
    public static LoyaltyProgram Flat { get; } = ProgramJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "programs", "flat-program.json")));

    /// <summary>A catalog holding only the flat program.</summary>
    public static StaticProgramCatalog FlatCatalog() => new(Flat, Version);

    /// <summary>The flat program's rules.</summary>
    public static ProgramRules FlatRules { get; } = new(Version, Flat);

    /// <summary>The default program without its offers (see <see cref="Engine.Scenario.Default"/>).</summary>
    public static LoyaltyProgram DefaultWithoutOffers => DefaultProgram.Document with { Offers = [] };

    /// <summary>A catalog holding only the default program without its offers (see <see cref="Engine.Scenario.Default"/>).</summary>
    public static StaticProgramCatalog DefaultCatalog() => new(DefaultWithoutOffers, Version);

    /// <summary>A catalog holding only the whole default program, offers included.</summary>
    public static StaticProgramCatalog DefaultWithOffersCatalog() => new(DefaultProgram.Document, Version);
}
