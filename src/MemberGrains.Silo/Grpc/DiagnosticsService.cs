using System.Diagnostics;
using System.Runtime;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MemberGrains.Grains;
using MemberGrains.Protos.V1;
using static MemberGrains.Abstractions.MemberGrainReferences;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// The operator's look inside one silo: an empty call (the transport ceiling a load test compares
/// real calls with) and memory, GC and activation figures. Activation counts come from Orleans'
/// per-grain-type counters through the management grain; no activation is enumerated.
/// </summary>
public sealed class DiagnosticsService(IGrainFactory grains, ILocalSiloDetails silo, TimeProvider time) : Diagnostics.DiagnosticsBase
{
    private static readonly Task<PingReply> EmptyReply = Task.FromResult(new PingReply());

    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context) =>
        request.Payload.IsEmpty ? EmptyReply : Task.FromResult(new PingReply { Payload = request.Payload });

    public override async Task<PingMemberReply> PingMember(PingMemberRequest request, ServerCallContext context) =>
        new() { Version = await grains.Member(WireMapping.MemberId(request.MemberId)).GetVersionAsync() };

    public override async Task<SiloStats> GetSiloStats(SiloStatsRequest request, ServerCallContext context)
    {
        var (members, total) = await ActivationsAsync();
        var managed = GC.GetTotalMemory(request.FullGc);
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        using var process = Process.GetCurrentProcess();
        var uptime = time.GetUtcNow() - process.StartTime.ToUniversalTime();
        return new SiloStats
        {
            ManagedBytes = managed,
            HeapSizeBytes = info.HeapSizeBytes,
            WorkingSetBytes = Environment.WorkingSet,
            Gen0Collections = GC.CollectionCount(0),
            Gen1Collections = GC.CollectionCount(1),
            Gen2Collections = GC.CollectionCount(2),
            TotalPauseMs = GC.GetTotalPauseDuration().TotalMilliseconds,
            MemberActivations = members,
            TotalActivations = total,
            Uptime = Duration.FromTimeSpan(uptime < TimeSpan.Zero ? TimeSpan.Zero : uptime),
            CpuTimeMs = process.TotalProcessorTime.TotalMilliseconds,
            ServerGc = GCSettings.IsServerGC,
            GcGen0Size = GcBudget.Current,
        };
    }

    private async Task<(long Members, long Total)> ActivationsAsync()
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics([silo.SiloAddress]);
        var memberType = typeof(MemberGrain).FullName!;
        long members = 0;
        long total = 0;
        foreach (var statistic in statistics)
        {
            total += statistic.ActivationCount;
            if (statistic.GrainType.Contains(memberType, StringComparison.Ordinal))
            {
                members += statistic.ActivationCount;
            }
        }

        return (members, total);
    }
}
