using System.Collections.Concurrent;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Calls any unary rpc with bytes as they are: a <c>Method&lt;byte[], byte[]&gt;</c> with an identity
/// marshaller over the fixture's channel, so the server gets exactly what the fuzzer made (invalid
/// UTF-8, truncated or oversized messages) and the answer comes back undecoded.
/// </summary>
internal sealed class FuzzClient(GrpcChannel channel)
{
    /// <summary>Longer than any call takes on a healthy server; DEADLINE_EXCEEDED means it was not.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly Marshaller<byte[]> Identity = Marshallers.Create(bytes => bytes, bytes => bytes);

    private readonly CallInvoker _invoker = channel.CreateCallInvoker();

    private readonly ConcurrentDictionary<string, Method<byte[], byte[]>> _methods = new();

    public async Task<CallOutcome> SendAsync(MethodDescriptor method, byte[] payload, CancellationToken ct)
    {
        var raw = _methods.GetOrAdd(
            method.FullName,
            _ => new Method<byte[], byte[]>(MethodType.Unary, method.Service.FullName, method.Name, Identity, Identity));
        try
        {
            using var call = _invoker.AsyncUnaryCall(raw, null, new CallOptions(deadline: DateTime.UtcNow + CallTimeout, cancellationToken: ct), payload);
            return CallOutcome.FromReply(await call.ResponseAsync);
        }
        catch (RpcException e)
        {
            return CallOutcome.FromException(e);
        }
    }
}
