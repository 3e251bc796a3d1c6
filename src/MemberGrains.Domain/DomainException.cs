namespace MemberGrains.Domain;

/// <summary>
/// A refused operation. Thrown before any state is changed: an operation either applies
/// completely or throws this and leaves the account untouched.
/// </summary>
public sealed class DomainException : Exception
{
    public DomainException(ErrorKind kind, string field, string message)
        : base(message)
    {
        Kind = kind;
        Field = field;
    }

    public DomainException()
        : this(ErrorKind.InvalidArgument, string.Empty, "Invalid request.")
    {
    }

    public DomainException(string message)
        : this(ErrorKind.InvalidArgument, string.Empty, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = string.Empty;
    }

    /// <summary>The category of the failure.</summary>
    public ErrorKind Kind { get; }

    /// <summary>
    /// Machine-readable cause of a refusal a till handles on its own (<see cref="RedemptionDeclined"/>),
    /// or null. <see cref="Reasons"/> lists the risk codes behind a declined redemption or a hold in review.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Risk reason codes, or empty.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary><see cref="Reason"/> of a redemption the program's risk rules declined.</summary>
    public const string RedemptionDeclined = "REDEMPTION_DECLINED";

    /// <summary>The request field at fault in wire spelling (<c>total_fen</c>, <c>lines[2].quantity</c>), or empty.</summary>
    public string Field { get; }

    /// <summary>
    /// True when the refusal follows from the member's state (not enough points, no such hold),
    /// false when the request alone (or the program) is at fault: a host that may hold stale
    /// state confirms the former before answering. Every kind but INVALID_ARGUMENT depends on state.
    /// </summary>
    public bool DependsOnState => Kind != ErrorKind.InvalidArgument || _invalidForState;

    private bool _invalidForState;

    public static DomainException Invalid(string field, string message) => new(ErrorKind.InvalidArgument, field, message);

    /// <summary>An INVALID_ARGUMENT that depends on the member's state (more points than a hold holds).</summary>
    public static DomainException InvalidForState(string field, string message) => new(ErrorKind.InvalidArgument, field, message) { _invalidForState = true };

    public static DomainException NotFound(string field, string message) => new(ErrorKind.NotFound, field, message);

    public static DomainException Precondition(string field, string message) => new(ErrorKind.FailedPrecondition, field, message);

    public static DomainException Exists(string field, string message) => new(ErrorKind.AlreadyExists, field, message);
}
