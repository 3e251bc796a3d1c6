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
public sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    /// <summary>google.rpc.ErrorInfo domain of this service's errors.</summary>
    public const string ErrorDomain = "membergrains";

    /// <summary>ErrorInfo metadata key holding the comma-separated risk codes.</summary>
    public const string ReasonsKey = "reasons";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (MemberOperationException e)
        {
            throw Refusal(Map(e.Kind), e.Field, e.Message, e.Reason, e.Reasons);
        }
        catch (DomainException e)
        {
            // Raised by the edge's own checks (WireMapping), before any grain is called.
            throw Refusal(Map((RefusalKind)e.Kind), e.Field, e.Message, e.Reason, e.Reasons);
        }
        catch (StorageUnavailableException e)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, e.Message));
        }
        catch (TimeoutException e)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, $"The member did not answer in time: {e.Message} Retry with the same request_id."));
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Cancelled, "The call was cancelled."));
        }
        catch (Exception e) when (e is not RpcException)
        {
            LogUnexpected(logger, context.Method, e);
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Internal, "Internal error; it has been logged. Retry with the same request_id."));
        }
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
