using System.Globalization;
using MemberGrains.LoadTests.Workload;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// The callers and their members. Members are partitioned among the callers (member i belongs to
/// caller i mod callers), so each member is driven by exactly one caller and its model is exact.
/// The load runs per drill: <see cref="Start"/> with the drill's statistics, <see cref="StopAsync"/>
/// lets every caller finish the step it is in (a quiet cluster for the verification).
/// </summary>
internal sealed class DrillLoad
{
    private readonly DrillCaller[] _callers;
    private CancellationTokenSource? _stop;
    private Task? _running;

    public DrillLoad(string runTag, DrillOptions options, DrillClients clients, TimeZoneInfo zone, TimeProvider time)
    {
        Prefix = $"dr-{runTag}-";
        Members = [.. Enumerable.Range(0, options.Members).Select(i => new DrillMember(
            i,
            string.Create(CultureInfo.InvariantCulture, $"{Prefix}m{i:D5}"),
            string.Create(CultureInfo.InvariantCulture, $"S{1 + (i % 40):D3}")))];
        var ids = new RequestIds(Prefix);
        var callers = Math.Max(1, Math.Min(options.Callers, options.Members));
        _callers = [.. Enumerable.Range(0, callers).Select(c => new DrillCaller(
            c,
            [.. Members.Where(m => m.Index % callers == c)],
            clients,
            ids,
            options,
            zone,
            time))];
    }

    /// <summary>Starts every member id and request id of the run.</summary>
    public string Prefix { get; }

    public IReadOnlyList<DrillMember> Members { get; }

    public int Callers => _callers.Length;

    /// <summary>Enrols every member, each caller its own.</summary>
    public Task EnrolAsync(DrillStats stats, CancellationToken cancellationToken) =>
        Task.WhenAll(_callers.Select(c => Task.Run(() => c.EnrolAsync(stats, cancellationToken), cancellationToken)));

    /// <summary>Starts the callers for one drill.</summary>
    public void Start(DrillStats stats, CancellationToken abort)
    {
        if (_running is not null)
        {
            throw new InvalidOperationException("The load is already running.");
        }

        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        _running = Task.WhenAll(_callers.Select(c => Task.Run(() => c.RunAsync(stats, stop, abort), abort)));
    }

    /// <summary>Whether every caller had a request acknowledged after <paramref name="timestamp"/> (Stopwatch).</summary>
    public bool AllSucceededSince(long timestamp) => _callers.All(c => c.LastSuccessAt > timestamp);

    /// <summary>Stops the callers after their current step and waits for them.</summary>
    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }

        await _stop!.CancelAsync();
        try
        {
            await _running;
        }
        finally
        {
            _stop.Dispose();
            _stop = null;
            _running = null;
        }
    }
}
