using MemberGrains.Persistence;

namespace MemberGrains.Grains;

/// <summary>The silo's one log of member storage failures, shared by all its member grains.</summary>
public sealed class MemberStorageFaults(FaultLog log)
{
    public FaultLog Log { get; } = log;
}
