namespace MemberGrains.Grains;

/// <summary>A silo that is the whole cluster (localhost clustering, test clusters) can't be declared dead by others.</summary>
public sealed class AlwaysHeldLease : IMemoryLease
{
    public bool Held => true;
}
