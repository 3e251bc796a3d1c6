namespace MemberGrains.Persistence;

/// <summary>
/// A member write named a budget lease that was closed (returned, reclaimed after it lapsed, or
/// revoked) before the write committed: nothing of the write is stored. Handle it like a
/// <see cref="MemberWriteConflictException"/>: decide the request again (taking budget anew).
/// </summary>
public sealed class OfferLeaseClosedException : Exception
{
    public OfferLeaseClosedException()
    {
    }

    public OfferLeaseClosedException(string message)
        : base(message)
    {
    }

    public OfferLeaseClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OfferLeaseClosedException(string message, IReadOnlyList<long> leaseIds, Exception innerException)
        : base(message, innerException)
    {
        LeaseIds = leaseIds;
    }

    /// <summary>The closed (or unknown) leases the write named.</summary>
    public IReadOnlyList<long> LeaseIds { get; } = [];
}
