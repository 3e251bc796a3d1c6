using System.Diagnostics;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// One gRPC channel per silo of the cluster (the address stays the same across a restart, so the
/// channel reconnects by itself), and the clients on them. A silo whose endpoint refused a
/// connection is skipped as a first choice for a second, the way a client-side load balancer
/// stops sending to an endpoint it can't reach; it is still tried when a retry comes round to it.
/// PointOfSale calls carry the run's pos key, Diagnostics calls its admin key; health needs none.
/// </summary>
internal sealed class DrillClients : IDisposable
{
    private static readonly long SkipTicks = Stopwatch.Frequency;
    private readonly GrpcChannel[] _channels;
    private readonly PointOfSale.PointOfSaleClient[] _pos;
    private readonly Health.HealthClient[] _health;
    private readonly Diagnostics.DiagnosticsClient[] _diagnostics;
    private readonly long[] _unreachableUntil;

    public DrillClients(IReadOnlyList<Uri> addresses, TimeSpan deadline, LoadKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Deadline = deadline;
        Addresses = addresses;
        _channels = [.. addresses.Select(a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                ConnectTimeout = TimeSpan.FromSeconds(2),
                KeepAlivePingDelay = TimeSpan.FromSeconds(5),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            },
            DisposeHttpClient = true,
        }))];
        _pos = [.. _channels.Select(c => new PointOfSale.PointOfSaleClient(LoadClient.WithKey(c, keys.Pos)))];
        _health = [.. _channels.Select(c => new Health.HealthClient(c))];
        _diagnostics = [.. _channels.Select(c => new Diagnostics.DiagnosticsClient(LoadClient.WithKey(c, keys.Admin)))];
        _unreachableUntil = new long[addresses.Count];
    }

    public IReadOnlyList<Uri> Addresses { get; }

    public int Count => _channels.Length;

    public TimeSpan Deadline { get; }

    public PointOfSale.PointOfSaleClient Pos(int silo) => _pos[silo];

    public Health.HealthClient Health(int silo) => _health[silo];

    public Diagnostics.DiagnosticsClient Diagnostics(int silo) => _diagnostics[silo];

    /// <summary>Call options with the per-call deadline from now.</summary>
    public CallOptions Options(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);

    /// <summary><paramref name="preferred"/>, or the next silo after it whose endpoint did not refuse a connection in the last second.</summary>
    public int Pick(int preferred)
    {
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < Count; i++)
        {
            var silo = (preferred + i) % Count;
            if (Volatile.Read(ref _unreachableUntil[silo]) <= now)
            {
                return silo;
            }
        }

        return preferred % Count;
    }

    /// <summary>Notes a failed call; a refused connection makes <see cref="Pick"/> skip the silo for a second.</summary>
    public void Failed(int silo, RpcException failure)
    {
        if (IsUnreachable(failure))
        {
            Volatile.Write(ref _unreachableUntil[silo], Stopwatch.GetTimestamp() + SkipTicks);
        }
    }

    /// <summary>Whether the call never reached a server: the endpoint refused or dropped the connection attempt.</summary>
    public static bool IsUnreachable(RpcException failure) =>
        failure.StatusCode == StatusCode.Unavailable
        && (failure.Status.Detail.Contains("Error connecting to subchannel", StringComparison.Ordinal)
            || failure.Status.DebugException is HttpRequestException { InnerException: System.Net.Sockets.SocketException });

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }
}
