using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MemberGrains.Silo;

/// <summary>
/// Healthy when the member store's database answers a query. Probes come every few seconds from
/// load balancers: a change of state is logged once (unreachable, with the reason; reachable again,
/// with how many probes failed meanwhile), never each failed probe.
/// </summary>
public sealed partial class PostgresHealthCheck(NpgsqlDataSource dataSource, ILogger<PostgresHealthCheck> logger) : IHealthCheck
{
    private int _failedProbes;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellationToken);
            var failed = Interlocked.Exchange(ref _failedProbes, 0);
            if (failed > 0)
            {
                LogReachable(logger, failed);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            if (Interlocked.Increment(ref _failedProbes) == 1)
            {
                LogUnreachable(logger, e.GetType().Name, e.Message);
            }

            return HealthCheckResult.Unhealthy($"PostgreSQL is unreachable ({e.GetType().Name}).");
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Health: PostgreSQL unreachable ({Type}: {Reason}); the silo reports NOT_SERVING until it answers")]
    private static partial void LogUnreachable(ILogger logger, string type, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: PostgreSQL reachable again after {FailedProbes} failed probes; the silo reports SERVING")]
    private static partial void LogReachable(ILogger logger, int failedProbes);
}
