using MemberGrains.Silo;
using Microsoft.Extensions.Configuration;

namespace MemberGrains.LoadTests.Hosting;

/// <summary>Hosts the silo inside the current process (tests): same settings, no child process, shared GC.</summary>
internal sealed class InProcessSiloLauncher : ISiloLauncher
{
    public async Task<IRunningSilo> StartAsync(SiloLaunch launch, CancellationToken cancellationToken)
    {
        var settings = SiloSettingsArguments.For(launch, 0, FreePort.Next(), FreePort.Next());
        settings.TryAdd("Logging:LogLevel:Default", "Warning");
        var host = await SiloHost.CreateAsync([], builder => builder.Configuration.AddInMemoryCollection(settings), cancellationToken);
        try
        {
            await host.StartAsync(cancellationToken);
            await SiloReadiness.WaitAsync(host.GrpcAddress, () => null, TimeSpan.FromSeconds(60), cancellationToken);
            return new InProcessSilo(host);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private sealed class InProcessSilo(SiloHost host) : IRunningSilo
    {
        public Uri GrpcAddress { get; } = host.GrpcAddress;

        public string Description => "in the load test's own process";

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }
}
