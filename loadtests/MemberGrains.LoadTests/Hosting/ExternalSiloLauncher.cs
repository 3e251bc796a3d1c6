namespace MemberGrains.LoadTests.Hosting;

/// <summary>
/// Silos that are already running (<c>--silo-address</c>): nothing is started; the run waits until
/// every one answers SERVING and leaves them running at the end.
/// </summary>
internal sealed class ExternalSiloLauncher(IReadOnlyList<Uri> addresses) : ISiloLauncher
{
    /// <summary>How long each silo may take to answer SERVING (containers may still be starting).</summary>
    public static TimeSpan ReadyTimeout { get; } = TimeSpan.FromSeconds(120);

    public async Task<IRunningSilo> StartAsync(SiloLaunch launch, CancellationToken cancellationToken)
    {
        if (addresses.Count == 0)
        {
            throw new InvalidOperationException("No silo address was given.");
        }

        foreach (var address in addresses)
        {
            await SiloReadiness.WaitAsync(address, () => null, ReadyTimeout, cancellationToken);
        }

        return new RunningSilos(addresses);
    }

    private sealed class RunningSilos(IReadOnlyList<Uri> addresses) : IRunningSilo
    {
        public Uri GrpcAddress => addresses[0];

        public IReadOnlyList<Uri> GrpcAddresses => addresses;

        public string Description => addresses.Count == 1
            ? $"a running silo given by {ExternalSilos.OptionName}, not started or stopped by the run; its memory and GC figures include whatever else it serves"
            : $"{addresses.Count} running silos given by {ExternalSilos.OptionName}, calls spread evenly over them, not started or stopped by the run; memory, GC and activation figures are sums over the silos, including whatever else they serve";

        /// <summary>Not ours to stop.</summary>
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
