using System.Diagnostics;
using MemberGrains.LoadTests.Hosting;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// The drills' cluster: silo child processes on AdoNet clustering against the run's Postgres, each
/// with its own fixed ports, so a killed or stopped silo starts again where it was (same gRPC,
/// silo and gateway ports; a new Orleans generation). Logs go to <c>silo-N.log</c> in the run folder.
/// </summary>
internal sealed class SiloCluster(ChildProcessSiloLauncher launcher, SiloLaunch launch, IReadOnlyList<SiloPorts> ports) : IAsyncDisposable
{
    private readonly ChildSilo?[] _silos = new ChildSilo?[ports.Count];

    public int Count => _silos.Length;

    public IReadOnlyList<SiloPorts> Ports => ports;

    public IReadOnlyList<Uri> Addresses { get; } = [.. ports.Select(p => new Uri($"http://127.0.0.1:{p.Grpc}"))];

    /// <summary>"silo 2 (gRPC 127.0.0.1:41234, silo 41235, gateway 41236)".</summary>
    public string Describe(int silo) => $"silo {silo + 1} (gRPC {Addresses[silo].Authority}, silo port {ports[silo].Silo}, gateway {ports[silo].Gateway})";

    public bool IsRunning(int silo) => _silos[silo] is { HasExited: false };

    public int? ProcessId(int silo) => _silos[silo]?.ProcessId;

    /// <summary>Where a silo's output goes (every incarnation appends to it).</summary>
    public string LogPath(int silo) => Path.Combine(launch.RunDirectory, $"silo-{silo + 1}.log");

    public IReadOnlyList<string> LogPaths => [.. Enumerable.Range(0, Count).Select(LogPath)];

    /// <summary>Starts the first silo alone (it creates the cluster's membership row), then the others together.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        await StartAsync(0, cancellationToken);
        await Task.WhenAll(Enumerable.Range(1, Count - 1).Select(i => StartAsync(i, cancellationToken)));
    }

    /// <summary>Starts (or restarts) a silo on its ports; returns how long until it answered SERVING.</summary>
    public async Task<TimeSpan> StartAsync(int silo, CancellationToken cancellationToken)
    {
        if (IsRunning(silo))
        {
            throw new InvalidOperationException($"{Describe(silo)} is running already.");
        }

        if (_silos[silo] is { } gone)
        {
            await gone.DisposeAsync();
            _silos[silo] = null;
        }

        var clock = Stopwatch.StartNew();
        _silos[silo] = await launcher.StartAsync(launch, ports[silo], $"silo-{silo + 1}.log", cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>
    /// Starts a silo, again if it stopped before it was ready (a silo that starts slowly can be voted
    /// dead by the others while it joins); <paramref name="failed"/> hears of each failed attempt and
    /// why (what the silo logged). Returns the attempts it took; throws after the last one.
    /// </summary>
    public async Task<int> StartWithRetriesAsync(int silo, int attempts, Action<int, string> failed, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var scan = new SiloLogScan([LogPath(silo)]);
            try
            {
                await StartAsync(silo, cancellationToken);
                return attempt;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException && attempt < attempts)
            {
                failed(attempt, scan.FirstFatal() ?? e.Message.Split('\n')[0]);
            }
        }
    }

    /// <summary>SIGKILL; returns once the process is gone.</summary>
    public async Task KillAsync(int silo, CancellationToken cancellationToken)
    {
        var child = _silos[silo] ?? throw new InvalidOperationException($"{Describe(silo)} is not running.");
        await child.KillAsync(cancellationToken);
    }

    /// <summary>SIGTERM and wait for the exit; false when it did not exit within <paramref name="grace"/> (then it was killed).</summary>
    public async Task<bool> TerminateAsync(int silo, TimeSpan grace, CancellationToken cancellationToken)
    {
        var child = _silos[silo] ?? throw new InvalidOperationException($"{Describe(silo)} is not running.");
        return await child.TerminateAsync(grace, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_silos.Where(s => s is not null).Select(s => s!.DisposeAsync().AsTask()));
        Array.Clear(_silos);
    }
}
