using Google.Protobuf.WellKnownTypes;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Reads the silo's own figures through the Diagnostics service; with several silos, their sums.</summary>
internal static class SiloStatsReader
{
    public static async Task<SiloStats> ReadAsync(LoadClient client, bool fullGc, CancellationToken cancellationToken)
    {
        var each = new List<SiloStats>(client.DiagnosticsPerSilo.Count);
        foreach (var diagnostics in client.DiagnosticsPerSilo)
        {
            each.Add(await diagnostics.GetSiloStatsAsync(
                new SiloStatsRequest { FullGc = fullGc },
                deadline: DateTime.UtcNow.AddMinutes(2),
                cancellationToken: cancellationToken));
        }

        return each.Count == 1 ? each[0] : Sum(each);
    }

    /// <summary>Bytes, collections, pauses, CPU time and activations added up (-1 if any silo does not know); the shortest uptime; server GC only if every silo runs it; the silos' distinct gen0 budgets.</summary>
    public static SiloStats Sum(IReadOnlyList<SiloStats> silos)
    {
        ArgumentNullException.ThrowIfNull(silos);
        return new SiloStats
        {
            ManagedBytes = silos.Sum(s => s.ManagedBytes),
            HeapSizeBytes = silos.Sum(s => s.HeapSizeBytes),
            WorkingSetBytes = silos.Sum(s => s.WorkingSetBytes),
            Gen0Collections = silos.Sum(s => s.Gen0Collections),
            Gen1Collections = silos.Sum(s => s.Gen1Collections),
            Gen2Collections = silos.Sum(s => s.Gen2Collections),
            TotalPauseMs = silos.Sum(s => s.TotalPauseMs),
            MemberActivations = silos.Any(s => s.MemberActivations < 0) ? -1 : silos.Sum(s => s.MemberActivations),
            TotalActivations = silos.Any(s => s.TotalActivations < 0) ? -1 : silos.Sum(s => s.TotalActivations),
            Uptime = silos.Select(s => s.Uptime).Where(u => u is not null).MinBy(u => u.ToTimeSpan()) ?? Duration.FromTimeSpan(TimeSpan.Zero),
            CpuTimeMs = silos.Sum(s => s.CpuTimeMs),
            ServerGc = silos.All(s => s.ServerGc),
            GcGen0Size = string.Join(" / ", silos.Select(s => s.GcGen0Size).Distinct()),
        };
    }
}
