using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Phases;

/// <summary>Reads the silo's own figures through the Diagnostics service.</summary>
internal static class SiloStatsReader
{
    public static async Task<SiloStats> ReadAsync(LoadClient client, bool fullGc, CancellationToken cancellationToken) =>
        await client.Diagnostics.GetSiloStatsAsync(
            new SiloStatsRequest { FullGc = fullGc },
            deadline: DateTime.UtcNow.AddMinutes(2),
            cancellationToken: cancellationToken);
}
