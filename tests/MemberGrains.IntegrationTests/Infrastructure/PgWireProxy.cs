using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of PostgreSQL that understands just enough of the wire protocol
/// to break a connection at a chosen moment: after the server has committed one of the member
/// store's batches (its ReadyForQuery following the batch) but before the client hears of it — the
/// case where a client cannot know whether its change was stored. Other statements on the same
/// data source (the membership lease's reads every 0.1 s, the health check, member loads) pass
/// untouched however they interleave with the commit. It can also refuse new connections, as an
/// unreachable server would. Connect through <see cref="ConnectionString"/> (TLS and GSS off, so
/// the bytes are plain protocol messages).
/// </summary>
public sealed class PgWireProxy : IAsyncDisposable
{
    /// <summary>
    /// Text only the member store's commit has: every commit batch writes member rows through
    /// <c>member_expect_written</c> (MemberStore's InsertMembers / UpdateMembers).
    /// </summary>
    public const string CommitMarker = "member_expect_written(";

    private readonly TcpListener _listener;
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly Lock _lock = new();
    private readonly List<Pipe> _pipes = [];
    private int _breakAfterCommit;
    private volatile bool _refuseAfterBreak;
    private volatile bool _refusing;

    public PgWireProxy(string upstreamConnectionString)
    {
        var upstream = new NpgsqlConnectionStringBuilder(upstreamConnectionString);
        _upstreamHost = upstream.Host!;
        _upstreamPort = upstream.Port;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        ConnectionString = new NpgsqlConnectionStringBuilder(upstreamConnectionString)
        {
            Host = "127.0.0.1",
            Port = port,
            SslMode = SslMode.Disable,
            GssEncryptionMode = GssEncryptionMode.Disable,
        }.ConnectionString;
        _accepting = AcceptAsync();
    }

    /// <summary>The upstream database, reached through this proxy.</summary>
    public string ConnectionString { get; }

    /// <summary>Connections broken after a commit so far.</summary>
    public int CommitsBroken { get; private set; }

    /// <summary>
    /// The next member store commit (a batch with a statement holding <see cref="CommitMarker"/>)
    /// has its answer cut off right after the server commits it; with <paramref name="thenRefuse"/> the proxy then refuses every connection (the
    /// database looks unreachable) until <see cref="Refuse"/>(false).
    /// </summary>
    public void BreakAfterNextCommit(bool thenRefuse = false)
    {
        _refuseAfterBreak = thenRefuse;
        Interlocked.Exchange(ref _breakAfterCommit, 1);
    }

    /// <summary>From now on new connections are closed at once and open ones are cut (true), or served again (false).</summary>
    public void Refuse(bool refuse)
    {
        _refusing = refuse;
        if (refuse)
        {
            lock (_lock)
            {
                foreach (var pipe in _pipes)
                {
                    pipe.Close();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_lock)
        {
            foreach (var pipe in _pipes)
            {
                pipe.Close();
            }
        }

        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_refusing)
            {
                client.Dispose();
                continue;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            var pipe = new Pipe(this, client, server);
            lock (_lock)
            {
                _pipes.Add(pipe);
            }

            _ = pipe.RunAsync(_stop.Token);
        }
    }

    private void Forget(Pipe pipe)
    {
        lock (_lock)
        {
            _pipes.Remove(pipe);
        }
    }

    /// <summary>
    /// Copies one client connection both ways, message by message (every message after the
    /// client's first, untyped startup packet is a type byte and a 4-byte length).
    /// </summary>
    private sealed class Pipe(PgWireProxy proxy, TcpClient client, TcpClient server)
    {
        // Statement name → text, from the client's Parse messages (Npgsql prepares the store's
        // statements after their second use; later batches bind them by name only).
        private readonly Dictionary<string, string> _statements = new(StringComparer.Ordinal);
        private volatile bool _commitSent;

        public void Close()
        {
            client.Dispose();
            server.Dispose();
        }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.WhenAny(
                    CopyAsync(client.GetStream(), server.GetStream(), fromClient: true, cancellationToken),
                    CopyAsync(server.GetStream(), client.GetStream(), fromClient: false, cancellationToken));
            }
            finally
            {
                Close();
                proxy.Forget(this);
            }
        }

        private async Task CopyAsync(NetworkStream from, NetworkStream to, bool fromClient, CancellationToken cancellationToken)
        {
            var header = new byte[5];
            try
            {
                if (fromClient)
                {
                    // Startup packet: length (including itself), then the body.
                    await from.ReadExactlyAsync(header.AsMemory(0, 4), cancellationToken);
                    var length = BinaryPrimitives.ReadInt32BigEndian(header);
                    var body = new byte[length - 4];
                    await from.ReadExactlyAsync(body, cancellationToken);
                    await to.WriteAsync(header.AsMemory(0, 4), cancellationToken);
                    await to.WriteAsync(body, cancellationToken);
                }

                while (true)
                {
                    await from.ReadExactlyAsync(header, cancellationToken);
                    var length = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(1));
                    var body = new byte[length - 4];
                    await from.ReadExactlyAsync(body, cancellationToken);
                    var type = (char)header[0];
                    if (fromClient)
                    {
                        Watch(type, body);
                    }
                    else if (type == 'Z' && _commitSent)
                    {
                        _commitSent = false;
                        if (Interlocked.Exchange(ref proxy._breakAfterCommit, 0) == 1)
                        {
                            // The server has committed the store's batch and is ready for more: the client never hears it.
                            proxy.CommitsBroken++;
                            if (proxy._refuseAfterBreak)
                            {
                                proxy.Refuse(true);
                            }

                            Close();
                            return;
                        }
                    }

                    await to.WriteAsync(header, cancellationToken);
                    await to.WriteAsync(body, cancellationToken);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or EndOfStreamException)
            {
                // Either side went away: the other is closed by RunAsync.
            }
        }

        /// <summary>Notes the statements the client prepares, and whether what it runs now is a commit (while armed).</summary>
        private void Watch(char type, byte[] body)
        {
            switch (type)
            {
                case 'P':
                    // Parse: statement name, query text, …
                    var name = CString(body, 0, out var next);
                    _statements[name] = CString(body, next, out _);
                    break;
                case 'B':
                    // Bind: portal name, statement name, …
                    CString(body, 0, out var statementAt);
                    if (_statements.TryGetValue(CString(body, statementAt, out _), out var text))
                    {
                        MarkIfCommit(text);
                    }

                    break;
                case 'Q':
                    MarkIfCommit(CString(body, 0, out _));
                    break;
            }
        }

        private void MarkIfCommit(string text)
        {
            if (Volatile.Read(ref proxy._breakAfterCommit) == 1 && text.Contains(CommitMarker, StringComparison.Ordinal))
            {
                _commitSent = true;
            }
        }

        private static string CString(byte[] body, int start, out int next)
        {
            var end = Array.IndexOf(body, (byte)0, start);
            if (end < 0)
            {
                end = body.Length;
            }

            next = end + 1;
            return System.Text.Encoding.UTF8.GetString(body, start, end - start);
        }
    }
}
