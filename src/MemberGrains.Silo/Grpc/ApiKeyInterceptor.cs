using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MemberGrains.Persistence;
using MemberGrains.Silo.Auth;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// Every gRPC call but health and reflection needs an API key whose scope covers the service
/// (<see cref="ServiceScopes"/>), sent as metadata <c>authorization: Bearer &lt;key&gt;</c> or
/// <c>x-api-key: &lt;key&gt;</c>. No, a malformed, unknown or revoked key is UNAUTHENTICATED; a key
/// of the wrong scope PERMISSION_DENIED naming the scope needed; each with a google.rpc.ErrorInfo
/// (domain "membergrains", reason API_KEY_…). Registered before the error mapping, so it runs
/// first and a refused call reaches no service.
/// <para>
/// An interceptor rather than middleware: it sees the method as grpc-dotnet bound it (every
/// call type, the services mapped later included) and refuses with a real gRPC status that
/// grpc-dotnet encodes, where middleware would parse paths and write trailers-only responses by
/// hand. What it costs is that a refused call's message (at most 1 MiB) is read first.
/// </para>
/// </summary>
public sealed partial class ApiKeyInterceptor(ApiKeyAuthorizer authorizer, ILogger<ApiKeyInterceptor> logger) : Interceptor
{
    public const string AuthorizationHeader = "authorization";

    public const string ApiKeyHeader = "x-api-key";

    private const string BearerPrefix = "Bearer ";

    private const string HowToSend = " Send a key in the metadata as 'authorization: Bearer <key>' or 'x-api-key: <key>'.";

    private static readonly object CallerSlot = new();

    /// <summary>The key the call came with, once it was let through (null: none was needed or sent).</summary>
    public static ApiKeyInfo? Caller(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.UserState.TryGetValue(CallerSlot, out var key) ? key as ApiKeyInfo : null;
    }

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        return await continuation(request, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    private async ValueTask AuthorizeAsync(ServerCallContext context)
    {
        var service = ServiceScopes.ServiceOf(context.Method);
        if (ServiceScopes.IsOpen(service))
        {
            return;
        }

        var needed = ServiceScopes.Needed(service);
        ApiKeyDecision decision;
        if (context.RequestHeaders.GetValue(AuthorizationHeader) is { } authorization)
        {
            if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw Refused(StatusCode.Unauthenticated, "API_KEY_MALFORMED", "The authorization metadata must be 'Bearer <key>'.", needed, null);
            }

            decision = await DecideAsync(authorization[BearerPrefix.Length..].Trim(), needed, service, context);
        }
        else
        {
            decision = await DecideAsync(context.RequestHeaders.GetValue(ApiKeyHeader)?.Trim(), needed, service, context);
        }

        switch (decision.Outcome)
        {
            case ApiKeyOutcome.Allowed:
                if (decision.Key is { } key)
                {
                    context.UserState[CallerSlot] = key;
                }

                return;
            case ApiKeyOutcome.Unauthenticated:
                LogRefused(logger, context.Method, decision.Reason, decision.Key?.KeyId ?? "-");
                throw Refused(StatusCode.Unauthenticated, decision.Reason, decision.Failure == ApiKeyFailure.Missing ? decision.Message + HowToSend : decision.Message, needed, decision.Key);
            case ApiKeyOutcome.PermissionDenied:
                LogRefused(logger, context.Method, decision.Reason, decision.Key?.KeyId ?? "-");
                throw Refused(StatusCode.PermissionDenied, decision.Reason, decision.Message, needed, decision.Key);
            default:
                throw Refused(StatusCode.Unavailable, decision.Reason, decision.Message, needed, null);
        }
    }

    private async ValueTask<ApiKeyDecision> DecideAsync(string? key, ApiKeyScope needed, string service, ServerCallContext context)
    {
        try
        {
            return await authorizer.AuthorizeAsync(key, needed, service, context.CancellationToken);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (Exception e) when (e is not RpcException)
        {
            LogUnexpected(logger, context.Method, e);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Internal, "Internal error while checking the API key; it has been logged."));
        }
    }

    private static RpcException Refused(StatusCode code, string reason, string message, ApiKeyScope needed, ApiKeyInfo? key)
    {
        var info = new ErrorInfo { Reason = reason, Domain = ErrorMappingInterceptor.ErrorDomain, Metadata = { ["needed_scope"] = ApiKeyScopes.Name(needed) } };
        if (key is not null)
        {
            info.Metadata["key_id"] = key.KeyId;
        }

        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(info));
        return status.ToRpcException();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Method}: {Reason} (key {KeyId})")]
    private static partial void LogRefused(ILogger logger, string method, string reason, string keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure checking the API key of {Method}")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception exception);
}
