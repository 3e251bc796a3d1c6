namespace MemberGrains.Persistence;

/// <summary>An API key's row: what <see cref="ApiKeyInfo"/> shows, and the secret's SHA-256 to check a key text against.</summary>
public sealed class StoredApiKey(ApiKeyInfo info, byte[] secretSha256)
{
    private readonly byte[] _secretSha256 = secretSha256;

    public ApiKeyInfo Info { get; } = info;

    /// <summary>SHA-256 of the key's secret.</summary>
    public ReadOnlySpan<byte> SecretSha256 => _secretSha256;
}
