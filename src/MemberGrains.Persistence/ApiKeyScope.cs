namespace MemberGrains.Persistence;

/// <summary>
/// What an API key may call. Stored and written as lower-case text (<c>pos</c>, <c>screen</c>,
/// <c>admin</c>, see <see cref="ApiKeyScopes"/>).
/// </summary>
public enum ApiKeyScope
{
    /// <summary>A till: membergrains.v1.PointOfSale and membergrains.v1.StoreScreen.</summary>
    Pos = 1,

    /// <summary>A store screen: membergrains.v1.StoreScreen only; it reads members and can never change one.</summary>
    Screen = 2,

    /// <summary>An operator or automation: every service (Admin, Diagnostics, PointOfSale, StoreScreen).</summary>
    Admin = 3,
}
