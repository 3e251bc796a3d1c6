namespace MemberGrains.Domain.Rules;

/// <summary>The published programs a silo knows: the active one, and older ones still needed (refunds recompute with the program a purchase used).</summary>
public interface IProgramCatalog
{
    /// <summary>The active program: what new decisions use.</summary>
    ProgramRules Current { get; }

    /// <summary>The program published as <paramref name="version"/>, or null if unknown here.</summary>
    ProgramRules? Find(int version);
}
