using System.Security.Cryptography;

namespace MemberGrains.Persistence;

/// <summary>
/// The text of an API key, <c>mgk_&lt;key id&gt;_&lt;secret&gt;</c>: the id is 16 lower-case hex
/// digits (8 random bytes), the secret 64 (32 random bytes), so a key needs no escaping in a
/// header, a URL or a shell. Parsing keeps the id and the secret's SHA-256, never the secret.
/// </summary>
public sealed class ApiKeyText
{
    /// <summary>What every key starts with (recognisable in a leaked file, greppable in a repository).</summary>
    public const string Prefix = "mgk_";

    /// <summary>Hex digits of a key id.</summary>
    public const int KeyIdLength = 16;

    /// <summary>Random bytes of a secret.</summary>
    public const int SecretBytes = 32;

    /// <summary>Characters of a whole key.</summary>
    public const int Length = 4 + KeyIdLength + 1 + (SecretBytes * 2);

    private readonly byte[] _secretSha256;

    private ApiKeyText(string keyId, byte[] secretSha256)
    {
        KeyId = keyId;
        _secretSha256 = secretSha256;
    }

    /// <summary>The key's id.</summary>
    public string KeyId { get; }

    /// <summary>SHA-256 of the secret's 32 bytes.</summary>
    public ReadOnlySpan<byte> SecretSha256 => _secretSha256;

    /// <summary>The key <paramref name="text"/> holds, or null when it is not a key's text.</summary>
    public static ApiKeyText? Parse(string? text)
    {
        if (text is null || text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[Prefix.Length + KeyIdLength] != '_')
        {
            return null;
        }

        var id = text.AsSpan(Prefix.Length, KeyIdLength);
        var secretHex = text.AsSpan(Prefix.Length + KeyIdLength + 1);
        if (!IsLowerHex(id) || !IsLowerHex(secretHex))
        {
            return null;
        }

        Span<byte> secret = stackalloc byte[SecretBytes];
        try
        {
            Convert.FromHexString(secretHex, secret, out _, out _);
            return new ApiKeyText(id.ToString(), SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Whether <paramref name="text"/> is a key id (16 lower-case hex digits).</summary>
    public static bool IsKeyId(string? text) => text is { Length: KeyIdLength } && IsLowerHex(text);

    /// <summary>Whether the secret's hash equals <paramref name="sha256"/>, in time independent of where they differ.</summary>
    public bool Matches(ReadOnlySpan<byte> sha256) => CryptographicOperations.FixedTimeEquals(_secretSha256, sha256);

    /// <summary>A new random key: its text (to show once), its id and its secret's SHA-256 (to store).</summary>
    internal static (string Text, string KeyId, byte[] SecretSha256) New()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));
        Span<byte> secret = stackalloc byte[SecretBytes];
        try
        {
            RandomNumberGenerator.Fill(secret);
            return ($"{Prefix}{keyId}_{Convert.ToHexStringLower(secret)}", keyId, SHA256.HashData(secret));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
