using MemberGrains.Silo;
using MemberGrains.Silo.Logging;
using Microsoft.Extensions.Configuration;

namespace MemberGrains.Grpc.Tests;

/// <summary>What a silo does before it serves: refuse to run without its database outside Development, and keep false alarms out of the log.</summary>
public sealed class SiloStartupTests
{
    [Fact]
    public async Task CreateAsync_ProductionWithoutConnectionString_StopsWithAClearMessage()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => SiloHost.CreateAsync([], builder =>
        {
            builder.Environment.EnvironmentName = "Production";
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:MemberGrains"] = string.Empty });
        }, TestContext.Current.CancellationToken));

        Assert.Contains("No database is configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__MemberGrains", refused.Message, StringComparison.Ordinal);
        Assert.Contains("MemberGrains:EmbeddedPostgres=true", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IsImpossibleStall_StallLongerThanTheProcessHasLived_True()
    {
        var now = DateTime.UtcNow;
        var alive = now - System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime();

        Assert.True(ImpossibleStallFilter.IsImpossibleStall(State(alive + TimeSpan.FromDays(3)), now));
        Assert.False(ImpossibleStallFilter.IsImpossibleStall(State(TimeSpan.FromMilliseconds(1)), now));
        Assert.False(ImpossibleStallFilter.IsImpossibleStall("no values", now));
    }

    private static List<KeyValuePair<string, object?>> State(TimeSpan reported) =>
        [new("TimeSinceLastTick", reported), new("{OriginalFormat}", "Participant check thread has not completed for {TimeSinceLastTick}")];
}
