namespace MemberGrains.Domain.Rules;

/// <summary>A catalog of programs held in memory (tests, replays); <see cref="Publish"/> makes a new active version.</summary>
public sealed class StaticProgramCatalog : IProgramCatalog
{
    private readonly Dictionary<int, ProgramRules> _versions = [];
    private ProgramRules _current;

    public StaticProgramCatalog(LoyaltyProgram program, int version = 1)
    {
        _current = new ProgramRules(version, program);
        _versions[version] = _current;
    }

    public ProgramRules Current => _current;

    public ProgramRules? Find(int version) => _versions.GetValueOrDefault(version);

    /// <summary>Adds <paramref name="program"/> as the next version and makes it active.</summary>
    public ProgramRules Publish(LoyaltyProgram program)
    {
        _current = new ProgramRules(_current.Version + 1, program);
        _versions[_current.Version] = _current;
        return _current;
    }
}
