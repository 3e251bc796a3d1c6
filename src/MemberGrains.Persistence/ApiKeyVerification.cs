namespace MemberGrains.Persistence;

/// <summary>What a key text is: a valid key (its row), or why not (and the row of a revoked key).</summary>
public sealed record ApiKeyVerification(ApiKeyFailure Failure, ApiKeyInfo? Key)
{
    public static ApiKeyVerification Missing { get; } = new(ApiKeyFailure.Missing, null);

    public static ApiKeyVerification Malformed { get; } = new(ApiKeyFailure.Malformed, null);

    public static ApiKeyVerification Unknown { get; } = new(ApiKeyFailure.Unknown, null);

    public bool IsValid => Failure == ApiKeyFailure.None;

    /// <summary>
    /// Checks a parsed key against its stored row (null when no row has its id). A wrong secret is
    /// <see cref="ApiKeyFailure.Unknown"/> like a wrong id, so a caller can't learn which ids exist
    /// or were revoked; the hashes are compared in constant time.
    /// </summary>
    public static ApiKeyVerification Check(ApiKeyText key, StoredApiKey? stored)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (stored is null || stored.Info.KeyId != key.KeyId || !key.Matches(stored.SecretSha256))
        {
            return Unknown;
        }

        return new ApiKeyVerification(stored.Info.Revoked ? ApiKeyFailure.Revoked : ApiKeyFailure.None, stored.Info);
    }
}
