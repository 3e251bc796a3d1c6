using MemberGrains.Grains;
using MemberGrains.Persistence;

namespace MemberGrains.Silo;

/// <summary>
/// The memory lease of a silo in an AdoNet cluster: held while the silo's own membership row was
/// read as Active less than <see cref="MembershipSettings.MemoryLeaseSeconds"/> ago (the read is
/// timed from when it was sent, and repeated several times a lease). The grain directory waits
/// that long, plus the failure-detection window, after a silo is declared dead before its members
/// may activate elsewhere (<see cref="SiloHost.ApplyDirectory"/>), so a silo declared dead while
/// still running has stopped answering reads from memory before any other silo can change them.
/// While Postgres is unreachable no silo can be declared dead, but no silo can tell either: reads
/// then need Postgres too, and fail like writes (the health check reports NOT_SERVING anyway).
/// </summary>
public sealed partial class MembershipLease(
    SiloStatusReader reader,
    ILocalSiloDetails silo,
    SiloSettings settings,
    TimeProvider time,
    ILogger<MembershipLease> logger) : BackgroundService, IMemoryLease
{
    private long _confirmedAt = long.MinValue;
    private bool _lastHeld;

    public bool Held =>
        Volatile.Read(ref _confirmedAt) is var at && at != long.MinValue && time.GetElapsedTime(at) < LeaseLength;

    private TimeSpan LeaseLength => TimeSpan.FromSeconds(settings.Membership.MemoryLeaseSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var address = silo.SiloAddress;
        var ip = address.Endpoint.Address.ToString();
        var period = LeaseLength / 3;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = time.GetTimestamp();
            int? status = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(LeaseLength);
                status = await reader.ReadAsync(settings.ClusterId, ip, address.Endpoint.Port, address.Generation, timeout.Token);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
            {
                // No answer: the lease runs out by itself.
            }

            if (status == SiloStatusReader.Active)
            {
                Volatile.Write(ref _confirmedAt, sent);
            }

            var held = Held;
            if (held != _lastHeld)
            {
                _lastHeld = held;
                if (held)
                {
                    LogHeld(logger);
                }
                else
                {
                    LogLost(logger, status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unreadable");
                }
            }

            try
            {
                await Task.Delay(period, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Memory lease held: this silo is Active in the membership table and answers reads from memory")]
    private static partial void LogHeld(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Memory lease lost (membership status {Status}): reads are confirmed against Postgres until this silo is confirmed Active again")]
    private static partial void LogLost(ILogger logger, string status);
}
