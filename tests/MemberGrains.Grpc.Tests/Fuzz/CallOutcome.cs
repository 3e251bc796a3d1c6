using Google.Protobuf;
using Google.Rpc;
using Grpc.Core;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>How the server answered one call: the reply bytes, or the status with its rich details.</summary>
internal sealed class CallOutcome
{
    private CallOutcome(StatusCode code, string message, byte[]? reply, Google.Rpc.Status? details, string? detailsError)
    {
        Code = code;
        Message = message;
        Reply = reply;
        Details = details;
        DetailsError = detailsError;
        Violations = details?.GetDetail<BadRequest>()?.FieldViolations.ToList() ?? [];
    }

    public StatusCode Code { get; }

    public string Message { get; }

    /// <summary>The reply bytes of an OK answer.</summary>
    public byte[]? Reply { get; }

    /// <summary>The google.rpc.Status from grpc-status-details-bin, if any.</summary>
    public Google.Rpc.Status? Details { get; }

    /// <summary>Why grpc-status-details-bin could not be read, if it could not.</summary>
    public string? DetailsError { get; }

    /// <summary>The BadRequest field violations of the details.</summary>
    public IReadOnlyList<BadRequest.Types.FieldViolation> Violations { get; }

    public bool IsOk => Code == StatusCode.OK;

    public static CallOutcome FromReply(byte[] reply) => new(StatusCode.OK, string.Empty, reply, null, null);

    public static CallOutcome FromException(RpcException e)
    {
        try
        {
            return new(e.StatusCode, e.Status.Detail, null, e.GetRpcStatus(), null);
        }
        catch (InvalidProtocolBufferException bad)
        {
            return new(e.StatusCode, e.Status.Detail, null, null, bad.Message);
        }
    }

    public override string ToString()
    {
        if (IsOk)
        {
            return "OK";
        }

        var fields = Violations.Count == 0 ? string.Empty : $" [{string.Join(", ", Violations.Select(v => v.Field).Take(5))}{(Violations.Count > 5 ? ", …" : string.Empty)}]";
        return $"{Wire.StatusName(Code)}{fields} {Show.Text(Message, 160)}";
    }
}
