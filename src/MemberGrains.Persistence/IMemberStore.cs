namespace MemberGrains.Persistence;

/// <summary>Durable home of member states and their ledger.</summary>
public interface IMemberStore
{
    /// <summary>
    /// The member's last committed state as the member knows it at <paramref name="now"/> (without
    /// the parts it has forgotten by then), or null if it was never enrolled.
    /// </summary>
    Task<StoredMember?> LoadAsync(string memberId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits the member row and its ledger rows, events and offer uses atomically; completes after the commit. If it
    /// throws <see cref="CommitOutcomeUnknownException"/> the write may or may not be stored (the
    /// connection broke after it was sent and the outcome could not be learnt in time); any other
    /// exception means nothing of the write is stored: <see cref="MemberWriteConflictException"/> if
    /// the row is not at the expected version, <see cref="OfferLeaseClosedException"/> if an offer
    /// use names a budget lease that was closed meanwhile, the database's or the connection's exception otherwise.
    /// </summary>
    Task CommitAsync(MemberWrite write, CancellationToken cancellationToken = default);

    /// <summary>The member's committed version (null if it was never enrolled), read from Postgres now.</summary>
    Task<long?> ReadVersionAsync(string memberId, CancellationToken cancellationToken = default);
}
