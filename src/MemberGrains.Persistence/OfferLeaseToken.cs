using System.Globalization;

namespace MemberGrains.Persistence;

/// <summary>The budget token of a use: the lease id it came from, as text.</summary>
public static class OfferLeaseToken
{
    public static string Format(long leaseId) => leaseId.ToString(CultureInfo.InvariantCulture);

    /// <summary>The lease id a token names; null for no token (an offer without a budget).</summary>
    /// <exception cref="FormatException">The token is not one <see cref="Format"/> made.</exception>
    public static long? Parse(string? token) =>
        token is null ? null : long.Parse(token, NumberStyles.None, CultureInfo.InvariantCulture);
}
