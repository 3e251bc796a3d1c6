using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The gRPC side of the load generator: a few channels, each its own HTTP/2 connection pool
/// (connections kept open for the whole run, more opened when one reaches its stream limit), and
/// the generated clients on them, handed out round robin so calls spread over the connections.
/// Given several silos, the connections are spread evenly over them, and so are the calls. Every
/// call's options (deadline, cancellation, and any metadata a call must carry) are made in one
/// place, <see cref="CallOptionsFor"/>.
/// PointOfSale calls carry the run's pos key, StoreScreen calls its screen key, Diagnostics calls its admin key.
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private readonly GrpcChannel[] _channels;
    private readonly PointOfSale.PointOfSaleClient[] _pos;
    private readonly Diagnostics.DiagnosticsClient[] _diagnostics;
    private readonly StoreScreen.StoreScreenClient[] _screens;
    private int _next;

    public LoadClient(Uri address, int connections, TimeSpan deadline, LoadKeys keys)
        : this([address], connections, deadline, keys)
    {
    }

    /// <summary>
    /// Connections to several silos: <paramref name="connections"/> rounded up to a multiple of
    /// their number, connection i to silo i mod n, so round robin over the connections is round robin over the silos.
    /// </summary>
    public LoadClient(IReadOnlyList<Uri> addresses, int connections, TimeSpan deadline, LoadKeys keys)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(keys);
        if (addresses.Count == 0)
        {
            throw new ArgumentException("At least one silo address is needed.", nameof(addresses));
        }

        Deadline = deadline;
        var perSilo = (Math.Max(1, connections) + addresses.Count - 1) / addresses.Count;
        _channels = new GrpcChannel[perSilo * addresses.Count];
        for (var i = 0; i < _channels.Length; i++)
        {
            var address = addresses[i % addresses.Count];
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

        _pos = [.. _channels.Select(c => new PointOfSale.PointOfSaleClient(WithKey(c, keys.Pos)))];
        _diagnostics = [.. _channels.Select(c => new Diagnostics.DiagnosticsClient(WithKey(c, keys.Admin)))];
        _screens = [.. _channels.Select(c => new StoreScreen.StoreScreenClient(WithKey(c, keys.Screen)))];
        DiagnosticsPerSilo = _diagnostics[..addresses.Count];
        Addresses = addresses;
    }

    /// <summary>The first silo.</summary>
    public Uri Address => Addresses[0];

    /// <summary>Every silo the calls are spread over.</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>One Diagnostics client per silo, in the order of <see cref="Addresses"/>.</summary>
    public IReadOnlyList<Diagnostics.DiagnosticsClient> DiagnosticsPerSilo { get; }

    public TimeSpan Deadline { get; }

    public int Connections => _channels.Length;

    /// <summary>The next PointOfSale client (round robin over the connections).</summary>
    public PointOfSale.PointOfSaleClient Pos => _pos[Next()];

    /// <summary>The next Diagnostics client (round robin over the connections).</summary>
    public Diagnostics.DiagnosticsClient Diagnostics => _diagnostics[Next()];

    /// <summary>The next StoreScreen client (round robin over the connections).</summary>
    public StoreScreen.StoreScreenClient Screen => _screens[Next()];

    /// <summary>Call options with the run's deadline from now.</summary>
    public CallOptions Options(CancellationToken cancellationToken) => CallOptionsFor(DateTime.UtcNow + Deadline, cancellationToken);

    /// <summary>Options of a server stream (a screen watching a member): no deadline, the caller ends it.</summary>
    public CallOptions StreamOptions(CancellationToken cancellationToken) => CallOptionsFor(null, cancellationToken);

    /// <summary>The options of every call the load generator makes: headers every call needs go here.</summary>
    private static CallOptions CallOptionsFor(DateTime? deadline, CancellationToken cancellationToken) =>
        new(deadline: deadline, cancellationToken: cancellationToken);

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

    /// <summary>Calls on <paramref name="channel"/> that carry <paramref name="key"/> as <c>authorization: Bearer …</c>.</summary>
    public static CallInvoker WithKey(GrpcChannel channel, string key)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var header = new Metadata.Entry("authorization", $"Bearer {key}");
        return channel.Intercept(metadata =>
        {
            metadata.Add(header);
            return metadata;
        });
    }

    private int Next() => (int)((uint)Interlocked.Increment(ref _next) % (uint)_pos.Length);
}
