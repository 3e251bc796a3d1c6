namespace MemberGrains.Persistence;

/// <summary>An API key as an operator sees it: everything but the secret (which nobody can see after creation).</summary>
/// <param name="KeyId">16 lower-case hex digits; the middle of the key text.</param>
/// <param name="Name">What the key is for ("till-01").</param>
/// <param name="Scope">What it may call.</param>
/// <param name="CreatedAt">When it was created (database time).</param>
/// <param name="CreatedBy">Who created it.</param>
/// <param name="RevokedAt">When it was revoked; null while it is valid.</param>
public sealed record ApiKeyInfo(string KeyId, string Name, ApiKeyScope Scope, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}
