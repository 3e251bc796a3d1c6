using MemberGrains.Persistence;

namespace MemberGrains.Silo.Grpc;

/// <summary>The silo's one log of calls that could not reach a member's silo (dead, stopping, unreachable).</summary>
public sealed class ClusterFaults(ILogger<ClusterFaults> logger, TimeProvider? time = null)
{
    public FaultLog Log { get; } = new("Calls to members' silos", logger, time ?? TimeProvider.System);
}
