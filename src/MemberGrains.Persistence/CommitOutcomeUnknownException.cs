namespace MemberGrains.Persistence;

/// <summary>
/// A member write was sent to PostgreSQL and the connection broke before its result came back,
/// and the store could not find out afterwards (within <see cref="MemberStoreOptions.ResolveSeconds"/>)
/// whether it was committed: it may or may not be stored. Every other failure of
/// <see cref="IMemberStore.CommitAsync"/> means nothing of the write is stored.
/// </summary>
public sealed class CommitOutcomeUnknownException : Exception
{
    public CommitOutcomeUnknownException()
    {
    }

    public CommitOutcomeUnknownException(string message)
        : base(message)
    {
    }

    public CommitOutcomeUnknownException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
