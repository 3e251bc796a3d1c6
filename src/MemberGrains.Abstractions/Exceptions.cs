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
/// <see cref="Reasons"/> carries the risk reason codes when a redemption was declined.
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

    public MemberOperationException(RefusalKind kind, string field, string message, IReadOnlyList<string> reasons)
        : this(kind, field, message)
    {
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

    /// <summary>Machine-readable reason codes (risk flags that declined a redemption), or empty.</summary>
    [Id(2)] public IReadOnlyList<string> Reasons { get; init; } = [];
}

/// <summary>The change could not be committed (storage down or in conflict): nothing was applied, retry with the same request id.</summary>
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
}
