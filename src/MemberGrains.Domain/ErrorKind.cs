namespace MemberGrains.Domain;

/// <summary>Why a member operation was refused. The gRPC edge maps each kind to one status code.</summary>
public enum ErrorKind
{
    /// <summary>A field of the request is missing, malformed or out of range.</summary>
    InvalidArgument,

    /// <summary>The member (or the referenced purchase or hold) does not exist.</summary>
    NotFound,

    /// <summary>The request is well formed but the member's state does not allow it (not enough points, hold expired …).</summary>
    FailedPrecondition,

    /// <summary>The request id was used before with a different payload, or the member is already enrolled.</summary>
    AlreadyExists,
}
