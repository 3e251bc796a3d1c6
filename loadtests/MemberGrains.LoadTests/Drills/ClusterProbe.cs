using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using MemberGrains.Protos.V1;
using Npgsql;

namespace MemberGrains.LoadTests.Drills;

/// <summary>Questions the drills ask the cluster: health, member activations per silo, whether the membership table declared a silo dead.</summary>
internal static class ClusterProbe
{
    /// <summary>Orleans' SiloStatus.Dead as stored in orleans_membership.status.</summary>
    private const int DeadStatus = 6;

    /// <summary>One health check of a silo: SERVING, NOT_SERVING, or the failure's status code.</summary>
    public static async Task<string> HealthAsync(DrillClients clients, int silo, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await clients.Health(silo).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
            return reply.Status.ToString();
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            return e.StatusCode.ToString();
        }
    }

    /// <summary>Polls every silo's health until all answer SERVING in one round; the time it took, or null after <paramref name="bound"/>.</summary>
    public static async Task<TimeSpan?> AllServingAsync(DrillClients clients, TimeSpan bound, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            var states = await Task.WhenAll(Enumerable.Range(0, clients.Count).Select(s => HealthAsync(clients, s, cancellationToken)));
            if (states.All(s => s == nameof(HealthCheckResponse.Types.ServingStatus.Serving)))
            {
                return clock.Elapsed;
            }

            await Task.Delay(100, cancellationToken);
        }

        return null;
    }

    /// <summary>Members active on a silo (Diagnostics/GetSiloStats), or -1 when it did not answer.</summary>
    public static async Task<long> MemberActivationsAsync(DrillClients clients, int silo, CancellationToken cancellationToken)
    {
        try
        {
            var stats = await clients.Diagnostics(silo).GetSiloStatsAsync(new SiloStatsRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
            return stats.MemberActivations;
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested && e.StatusCode != StatusCode.Cancelled)
        {
            return -1;
        }
    }

    /// <summary>Whether every membership row of the silo on <paramref name="siloPort"/> is marked Dead.</summary>
    public static async Task<bool> DeclaredDeadAsync(string connectionString, string clusterId, int siloPort, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND port = $2 AND status <> $3", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = clusterId });
        command.Parameters.Add(new NpgsqlParameter { Value = siloPort });
        command.Parameters.Add(new NpgsqlParameter { Value = DeadStatus });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 0;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms; the time until it held, or null after <paramref name="bound"/>.</summary>
    public static async Task<TimeSpan?> WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < bound)
        {
            if (await condition())
            {
                return clock.Elapsed;
            }

            await Task.Delay(100, cancellationToken);
        }

        return null;
    }
}
