namespace MemberGrains.Persistence;

/// <summary>The member row was not at the version the write expected: someone else wrote it (or it already exists).</summary>
public sealed class MemberWriteConflictException : Exception
{
    public MemberWriteConflictException()
    {
    }

    public MemberWriteConflictException(string message)
        : base(message)
    {
    }

    public MemberWriteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
