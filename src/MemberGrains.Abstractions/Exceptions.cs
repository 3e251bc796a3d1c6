namespace MemberGrains.Abstractions;

/// <summary>Why an operation was refused; each maps to one gRPC status code.</summary>
[GenerateSerializer, Alias("membergrains.RefusalKind")]
public enum RefusalKind
{
    InvalidArgument,
    NotFound,
    FailedPrecondition,
    AlreadyExists,
}

/// <summary>
/// A refused operation: nothing changed. <see cref="Field"/> names the request field at fault;
/// <see cref="Reason"/> and <see cref="Reasons"/> say why a redemption was declined or needs approval.
/// </summary>
[GenerateSerializer, Alias("membergrains.MemberOperationException")]
public sealed class MemberOperationException : Exception
{
    public MemberOperationException(RefusalKind kind, string field, string message)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public MemberOperationException(RefusalKind kind, string field, string message, string? reason, IReadOnlyList<string> reasons)
        : this(kind, field, message)
    {
        Reason = reason;
        Reasons = reasons;
    }

    public MemberOperationException()
    {
        Field = string.Empty;
    }

    public MemberOperationException(string message)
        : base(message)
    {
        Field = string.Empty;
    }

    public MemberOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    [Id(0)] public RefusalKind Kind { get; init; }

    [Id(1)] public string Field { get; init; }

    /// <summary>Risk reason codes (a declined redemption, a hold in review), or empty.</summary>
    [Id(2)] public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Machine-readable cause a till handles on its own (REDEMPTION_DECLINED), or null.</summary>
    [Id(3)] public string? Reason { get; init; }
}

/// <summary>
/// Storage could not be reached (or a member's silo failed): retry with the same request id.
/// Nothing was applied unless <see cref="OutcomeUnknown"/> is true, in which case the change may or
/// may not have been committed (the connection broke after it was sent); the retry with the same
/// request id then answers the first outcome (replayed) or applies the change.
/// </summary>
[GenerateSerializer, Alias("membergrains.StorageUnavailableException")]
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the change may have been committed; false when it is known that nothing was applied.</summary>
    [Id(0)] public bool OutcomeUnknown { get; init; }
}
