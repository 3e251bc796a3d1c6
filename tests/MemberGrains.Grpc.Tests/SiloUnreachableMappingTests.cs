using Grpc.Core;
using Grpc.Core.Interceptors;
using Google.Rpc;
using MemberGrains.Silo.Grpc;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Empty = Google.Protobuf.WellKnownTypes.Empty;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// What a call answers when the silo hosting its member died, is stopping or can't be reached:
/// UNAVAILABLE with the outcome unknown (retry with the same request id), never INTERNAL. The
/// failure drills (tests/MemberGrains.LoadTests.Tests) exercise the same with real processes.
/// </summary>
public sealed class SiloUnreachableMappingTests
{
    public static TheoryData<string> Failures() => ["dead", "connect", "wrapped", "cancelled-inside"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task UnaryServerHandler_OrleansSaysTheSiloIsGone_UnavailableOutcomeUnknown(string failure)
    {
        Exception thrown = failure switch
        {
            "dead" => new SiloUnavailableException("The target silo became unavailable for message."),
            "connect" => new ConnectionFailedException("Unable to connect to S127.0.0.1:11111:1."),
            // A grain-directory lookup cancelled by the cluster during a membership change (the caller did not cancel).
            "cancelled-inside" => new OperationCanceledException("The operation was canceled."),
            _ => new OrleansException("Forwarding failed.", new SiloUnavailableException("Silo stopping")),
        };
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance, new ClusterFaults(NullLogger<ClusterFaults>.Instance));

        var answer = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<Empty, Empty>(
            new Empty(), new TestContextCall(), (_, _) => Task.FromException<Empty>(thrown)));

        Assert.Equal(StatusCode.Unavailable, answer.StatusCode);
        Assert.Equal(ErrorMappingInterceptor.OutcomeUnknown, answer.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        Assert.Contains("same request_id", answer.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnaryServerHandler_UnexpectedException_InternalWithoutDetails()
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance, new ClusterFaults(NullLogger<ClusterFaults>.Instance));

        var answer = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<Empty, Empty>(
            new Empty(), new TestContextCall(), (_, _) => Task.FromException<Empty>(new InvalidCastException("secret detail"))));

        Assert.Equal(StatusCode.Internal, answer.StatusCode);
        Assert.DoesNotContain("secret", answer.Status.Detail, StringComparison.Ordinal);
    }

    private sealed class TestContextCall : ServerCallContext
    {
        protected override string MethodCore => "/membergrains.v1.PointOfSale/Accrue";

        protected override string HostCore => "localhost";

        protected override string PeerCore => "ipv4:127.0.0.1:1";

        protected override DateTime DeadlineCore => DateTime.MaxValue;

        protected override Metadata RequestHeadersCore => [];

        protected override CancellationToken CancellationTokenCore => CancellationToken.None;

        protected override Metadata ResponseTrailersCore => [];

        protected override global::Grpc.Core.Status StatusCore { get; set; }

        protected override WriteOptions? WriteOptionsCore { get; set; }

        protected override AuthContext AuthContextCore => new(null, []);

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => throw new NotSupportedException();

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => Task.CompletedTask;
    }
}
