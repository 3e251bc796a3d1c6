using System.Globalization;
using MemberGrains.Persistence;

namespace MemberGrains.Silo.Auth;

/// <summary>
/// The answer to "may this key call that?": the outcome, the key (when it was valid or revoked),
/// why not, and a message for the caller that never holds the key's secret.
/// </summary>
public sealed class ApiKeyDecision
{
    private ApiKeyDecision(ApiKeyOutcome outcome, ApiKeyFailure failure, ApiKeyInfo? key, ApiKeyScope needed, string message)
    {
        Outcome = outcome;
        Failure = failure;
        Key = key;
        Needed = needed;
        Message = message;
    }

    public ApiKeyOutcome Outcome { get; }

    /// <summary>Why the key is not valid (<see cref="ApiKeyFailure.None"/> when it is, or none was needed).</summary>
    public ApiKeyFailure Failure { get; }

    /// <summary>The caller's key: set when it is valid (allowed or not) or revoked.</summary>
    public ApiKeyInfo? Key { get; }

    /// <summary>The scope the call needs.</summary>
    public ApiKeyScope Needed { get; }

    /// <summary>What to tell the caller; empty when allowed.</summary>
    public string Message { get; }

    public bool Allowed => Outcome == ApiKeyOutcome.Allowed;

    /// <summary>A stable machine-readable reason: API_KEY_MISSING, _MALFORMED, _UNKNOWN, _REVOKED, _SCOPE, _UNCHECKED; empty when allowed.</summary>
    public string Reason => Outcome switch
    {
        ApiKeyOutcome.Unauthenticated => Failure switch
        {
            ApiKeyFailure.Missing => "API_KEY_MISSING",
            ApiKeyFailure.Malformed => "API_KEY_MALFORMED",
            ApiKeyFailure.Revoked => "API_KEY_REVOKED",
            _ => "API_KEY_UNKNOWN",
        },
        ApiKeyOutcome.PermissionDenied => "API_KEY_SCOPE",
        ApiKeyOutcome.Unavailable => "API_KEY_UNCHECKED",
        _ => string.Empty,
    };

    internal static ApiKeyDecision Allow(ApiKeyInfo? key, ApiKeyScope needed) => new(ApiKeyOutcome.Allowed, ApiKeyFailure.None, key, needed, string.Empty);

    internal static ApiKeyDecision Refuse(ApiKeyVerification verification, string? sentKeyId, ApiKeyScope needed) => new(
        ApiKeyOutcome.Unauthenticated,
        verification.Failure,
        verification.Key,
        needed,
        verification.Failure switch
        {
            ApiKeyFailure.Missing => "No API key was sent.",
            ApiKeyFailure.Malformed => $"The API key is malformed: a key is '{ApiKeyText.Prefix}', a {ApiKeyText.KeyIdLength}-digit key id, '_' and a {ApiKeyText.SecretBytes * 2}-digit secret, in lower-case hex ({ApiKeyText.Length} characters).",
            ApiKeyFailure.Revoked => string.Create(CultureInfo.InvariantCulture, $"The API key {verification.Key!.KeyId} ('{verification.Key.Name}') was revoked at {verification.Key.RevokedAt:yyyy-MM-ddTHH:mm:ssZ}; ask an operator for a new one."),
            _ => $"The API key is unknown: no key has the id {sentKeyId}, or its secret is not that key's.",
        });

    internal static ApiKeyDecision Deny(ApiKeyInfo key, ApiKeyScope needed, string resource) => new(
        ApiKeyOutcome.PermissionDenied,
        ApiKeyFailure.None,
        key,
        needed,
        $"{resource} needs an API key of scope {Covering(needed)}; the key {key.KeyId} ('{key.Name}') has scope {ApiKeyScopes.Name(key.Scope)}.");

    internal static ApiKeyDecision Unchecked(ApiKeyScope needed) => new(
        ApiKeyOutcome.Unavailable,
        ApiKeyFailure.None,
        null,
        needed,
        "The API key could not be checked: the key store (PostgreSQL) is unreachable. Nothing was done; retry.");

    /// <summary>The scopes that cover <paramref name="needed"/>, as text: "pos or admin".</summary>
    public static string Covering(ApiKeyScope needed)
    {
        var names = ApiKeyScopes.Names.Where(n => ApiKeyScopes.Covers(ApiKeyScopes.Parse(n)!.Value, needed)).ToList();
        return names.Count == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }
}
