namespace MemberGrains.Persistence;

/// <summary>Why a key text is not a valid key.</summary>
public enum ApiKeyFailure
{
    /// <summary>It is valid.</summary>
    None = 0,

    /// <summary>No key was given.</summary>
    Missing,

    /// <summary>The text is not <c>mgk_&lt;16 hex&gt;_&lt;64 hex&gt;</c>.</summary>
    Malformed,

    /// <summary>No key has this id, or its secret is not this one (the two are not told apart).</summary>
    Unknown,

    /// <summary>The key (id and secret right) was revoked.</summary>
    Revoked,
}
