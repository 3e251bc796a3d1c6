using System.Runtime.CompilerServices;

namespace MemberGrains.Abstractions;

/// <summary>
/// References to member grains without the per-call reflection of
/// <c>IGrainFactory.GetGrain&lt;IMemberGrain&gt;(string)</c>: that overload resolves the
/// interface's grain interface type from its attributes on every call (about 5 % of the silo's CPU
/// on a GetMember at saturation, docs/benchmarks.md). The grain type and interface type are
/// resolved once per factory through that same overload, so the reference made here is the one it
/// would make.
/// </summary>
public static class MemberGrainReferences
{
    private static readonly ConditionalWeakTable<IGrainFactory, Resolved> Types = [];

    /// <summary>The member grain keyed <paramref name="memberId"/> (a validated member number).</summary>
    public static IMemberGrain Member(this IGrainFactory grains, string memberId)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        var resolved = Types.GetValue(grains, Resolve);
        return (IMemberGrain)grains.GetGrain(GrainId.Create(resolved.GrainType, memberId), resolved.InterfaceType);
    }

    private static Resolved Resolve(IGrainFactory grains)
    {
        var probe = (GrainReference)grains.GetGrain<IMemberGrain>("type-probe");
        return new Resolved(probe.GrainId.Type, probe.InterfaceType);
    }

    private sealed record Resolved(GrainType GrainType, GrainInterfaceType InterfaceType);
}
