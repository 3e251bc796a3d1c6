using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using MemberGrains.Abstractions;
using MemberGrains.Domain;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// Turns refusals and failures into gRPC status codes with the offending field named, both at the
/// start of the message and as a google.rpc.BadRequest detail. A refusal with a machine-readable
/// cause (a redemption declined by the risk rules) also carries a google.rpc.ErrorInfo with that cause as reason and the risk codes in its metadata, so a
/// till can tell it from "not enough points" without parsing text.
/// Unexpected exceptions become INTERNAL without internals leaking to the till, and are logged.
/// </summary>
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger, ClusterFaults faults) : Interceptor
{
    /// <summary>google.rpc.ErrorInfo domain of this service's errors.</summary>
    public const string ErrorDomain = "membergrains";

    /// <summary>ErrorInfo metadata key holding the comma-separated risk codes.</summary>
    public const string ReasonsKey = "reasons";

    /// <summary>ErrorInfo reason of an UNAVAILABLE after which it is known that nothing was applied.</summary>
    public const string NotApplied = "NOT_APPLIED";

    /// <summary>
    /// ErrorInfo reason of an UNAVAILABLE whose change may or may not have been applied (the database
    /// connection broke after it was sent, the member's silo died while working on it, a timeout):
    /// retry with the same request_id, never a new one.
    /// </summary>
    public const string OutcomeUnknown = "OUTCOME_UNKNOWN";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            var response = await continuation(request, context);
            faults.Log.Succeeded();
            return response;
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(request, context, e);
        }
    }

    /// <summary>A stream (a screen's live view) ends with the same status codes a unary call would give.</summary>
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(request, context, e);
        }
    }

    private RpcException Map<TRequest>(TRequest request, ServerCallContext context, Exception exception)
    {
        switch (exception)
        {
            case MemberOperationException e:
                return Refusal(Map(e.Kind), e.Field, e.Message, e.Reason, e.Reasons);
            case DomainException e:
                // Raised by the edge's own checks (WireMapping), before any grain is called.
                return Refusal(Map((RefusalKind)e.Kind), e.Field, e.Message, e.Reason, e.Reasons);
            case StorageUnavailableException e:
                return Unavailable(e.Message, e.OutcomeUnknown ? OutcomeUnknown : NotApplied);
            case TimeoutException e:
                return Unavailable($"The member did not answer in time ({e.Message}); the change may or may not have been applied. Retry with the same request_id.", OutcomeUnknown);
            case var e when IsSiloUnreachable(e):
                // The member's silo died, is stopping or can't be reached: the cluster moves the member
                // elsewhere within seconds, and a retry with the same request_id answers the first outcome.
                faults.Log.Failed("a call", MemberIdOf(request), e);
                return Unavailable(
                    "The member's silo could not be reached or is shutting down; the change may or may not have been applied. Retry with the same request_id: a change that was applied is answered with its receipt (replayed).",
                    OutcomeUnknown);
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
            case OperationCanceledException e:
                // Not the caller's cancellation: the cluster gave up a step of its own (seen in the
                // kill -9 drill: a grain-directory lookup cancelled while membership changed). Retryable.
                faults.Log.Failed("a call", MemberIdOf(request), e);
                return Unavailable(
                    "The cluster cancelled the call while its membership was changing; the change may or may not have been applied. Retry with the same request_id: a change that was applied is answered with its receipt (replayed).",
                    OutcomeUnknown);
            default:
                LogUnexpected(logger, context.Method, exception);
                return new RpcException(new global::Grpc.Core.Status(StatusCode.Internal, "Internal error; it has been logged. Retry with the same request_id."));
        }
    }

    /// <summary>Orleans' ways of saying the silo hosting (or placing) the member is gone, stopping or unreachable.</summary>
    public static bool IsSiloUnreachable(Exception e) => e switch
    {
        Orleans.Runtime.OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException or Orleans.Runtime.GatewayTooBusyException => true,
        Orleans.Runtime.OrleansException { InnerException: { } inner } => IsSiloUnreachable(inner),
        _ => false,
    };

    private static string MemberIdOf<TRequest>(TRequest request) =>
        request is Google.Protobuf.IMessage message
        && message.Descriptor.FindFieldByName("member_id") is { } field
        && field.Accessor.GetValue(message) is string id
            ? id
            : string.Empty;

    private static RpcException Unavailable(string message, string reason)
    {
        var status = new Google.Rpc.Status { Code = (int)StatusCode.Unavailable, Message = message };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorDomain }));
        return status.ToRpcException();
    }

    private static StatusCode Map(RefusalKind kind) => kind switch
    {
        RefusalKind.InvalidArgument => StatusCode.InvalidArgument,
        RefusalKind.NotFound => StatusCode.NotFound,
        RefusalKind.FailedPrecondition => StatusCode.FailedPrecondition,
        RefusalKind.AlreadyExists => StatusCode.AlreadyExists,
        _ => StatusCode.Unknown,
    };

    private static RpcException Refusal(StatusCode code, string field, string message, string? reason, IReadOnlyList<string> reasons)
    {
        var text = string.IsNullOrEmpty(field) || message.StartsWith(field, StringComparison.Ordinal) ? message : $"{field}: {message}";
        var status = new Google.Rpc.Status { Code = (int)code, Message = text };
        if (!string.IsNullOrEmpty(field))
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = message } },
            }));
        }

        if (!string.IsNullOrEmpty(reason))
        {
            status.Details.Add(Any.Pack(new ErrorInfo
            {
                Reason = reason,
                Domain = ErrorDomain,
                Metadata = { [ReasonsKey] = string.Join(',', reasons) },
            }));
        }

        return status.ToRpcException();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private static partial void LogUnexpected(ILogger logger, string method, Exception exception);
}
