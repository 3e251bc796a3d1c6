using Grpc.Core;
using Grpc.Net.Client;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The gRPC side of the load generator: a few channels, each its own HTTP/2 connection pool
/// (connections kept open for the whole run, more opened when one reaches its stream limit), and
/// the generated clients on them, handed out round robin so calls spread over the connections.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly PointOfSale.PointOfSaleClient[] _pos;
    private readonly Diagnostics.DiagnosticsClient[] _diagnostics;
    private int _next;

    public LoadClient(Uri address, int connections, TimeSpan deadline)
    {
        Deadline = deadline;
        _channels = new GrpcChannel[Math.Max(1, connections)];
        for (var i = 0; i < _channels.Length; i++)
        {
            var handler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                ConnectTimeout = TimeSpan.FromSeconds(10),
            };
            _channels[i] = GrpcChannel.ForAddress(address, new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,
                MaxReceiveMessageSize = 16 * 1024 * 1024,
            });
        }

        _pos = [.. _channels.Select(c => new PointOfSale.PointOfSaleClient(c))];
        _diagnostics = [.. _channels.Select(c => new Diagnostics.DiagnosticsClient(c))];
        Address = address;
    }

    public Uri Address { get; }

    public TimeSpan Deadline { get; }

    public int Connections => _channels.Length;

    /// <summary>The next PointOfSale client (round robin over the connections).</summary>
    public PointOfSale.PointOfSaleClient Pos => _pos[Next()];

    /// <summary>The next Diagnostics client (round robin over the connections).</summary>
    public Diagnostics.DiagnosticsClient Diagnostics => _diagnostics[Next()];

    /// <summary>Call options with the run's deadline from now.</summary>
    public CallOptions Options(CancellationToken cancellationToken) => new(deadline: DateTime.UtcNow + Deadline, cancellationToken: cancellationToken);

    /// <summary>Opens every connection before measuring (the first call on a channel connects).</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        foreach (var client in _diagnostics)
        {
            await client.PingAsync(new PingRequest(), Options(cancellationToken));
        }
    }

    public void Dispose()
    {
        foreach (var channel in _channels)
        {
            channel.Dispose();
        }
    }

    private int Next() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_pos.Length);
}
