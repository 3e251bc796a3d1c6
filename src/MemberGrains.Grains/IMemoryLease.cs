namespace MemberGrains.Grains;

/// <summary>
/// Whether this silo may answer reads from members' memory without asking Postgres. A silo the
/// cluster has declared dead while it still runs (a network partition, a long pause) no longer
/// holds it, so it cannot answer from a copy another silo has since changed; its writes are safe
/// anyway (every commit names the version it expects).
/// </summary>
public interface IMemoryLease
{
    bool Held { get; }
}
