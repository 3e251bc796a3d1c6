namespace MemberGrains.Silo.Auth;

/// <summary>What becomes of a call after its key was checked.</summary>
public enum ApiKeyOutcome
{
    /// <summary>Let through: a valid key of a scope that covers the call, or no key while keys are not required.</summary>
    Allowed,

    /// <summary>No key, a malformed, unknown or revoked one (gRPC UNAUTHENTICATED, HTTP 401).</summary>
    Unauthenticated,

    /// <summary>A valid key whose scope does not cover the call (gRPC PERMISSION_DENIED, HTTP 403).</summary>
    PermissionDenied,

    /// <summary>The key could not be checked: Postgres unreachable and nothing recent known about the key (gRPC UNAVAILABLE, HTTP 503).</summary>
    Unavailable,
}
