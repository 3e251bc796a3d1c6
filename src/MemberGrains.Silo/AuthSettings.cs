namespace MemberGrains.Silo;

/// <summary>API keys on every call (<c>MemberGrains:Auth</c>).</summary>
public sealed class AuthSettings
{
    /// <summary>
    /// Whether every call (but health and reflection) needs a key. <c>false</c> is a development
    /// switch only: calls without a key are let through (one that sends a key still has it checked).
    /// </summary>
    public bool Required { get; set; } = true;

    /// <summary>
    /// Seconds a silo trusts what it last read about a key before it reads the key's row again: a
    /// key revoked on another silo stops working here within this time (at once on the silo that
    /// revoked it). 0 reads Postgres on every call.
    /// </summary>
    public double CacheSeconds { get; set; } = 5;
}
