namespace MemberGrains.Persistence;

/// <summary>Durable home of member states and their ledger.</summary>
public interface IMemberStore
{
    /// <summary>The member's last committed state, or null if it was never enrolled.</summary>
    Task<StoredMember?> LoadAsync(string memberId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits the member row and its ledger rows atomically; completes after the commit. Throws
    /// <see cref="MemberWriteConflictException"/> if the row is not at the expected version, or the
    /// database's exception; in both cases nothing of this write is stored (unless the connection
    /// broke during COMMIT itself, when the outcome is unknown and the caller must re-read).
    /// </summary>
    Task CommitAsync(MemberWrite write, CancellationToken cancellationToken = default);
}
