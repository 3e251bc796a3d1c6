using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MemberGrains.Domain;

/// <summary>A short stable hash of a request's payload, to tell a retry from a reused request id.</summary>
public static class Fingerprint
{
    public static string Of(EnrollCommand c) => Hash(
        "enroll", c.MemberId, c.Birthday?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.HomeStoreId, c.MarketingConsent, c.PersonalisationConsent);

    public static string Of(AccrueCommand c)
    {
        var parts = new List<object?> { "accrue", c.StoreId, c.TerminalId, c.TotalFen };
        foreach (var line in c.Lines)
        {
            parts.Add(line.Sku);
            parts.Add(line.Category);
            parts.Add(line.Quantity);
            parts.Add(line.AmountFen);
            parts.Add(line.Promoted);
        }

        // Only when given, so requests without it keep the fingerprints already stored.
        if (c.OccurredAt is { } at)
        {
            parts.Add(at.UtcTicks);
        }

        if (c.CouponIds is { Count: > 0 } coupons)
        {
            parts.Add("coupons");
            foreach (var coupon in coupons)
            {
                parts.Add(coupon);
            }
        }

        return Hash([.. parts]);
    }

    public static string Of(ReserveCommand c) => Hash("reserve", c.StoreId, c.TerminalId, c.Points, c.HoldFor?.Ticks, c.BasketFen);

    public static string Of(CaptureCommand c) => Hash("capture", c.StoreId, c.TerminalId, c.HoldId, c.Points, c.ApprovedBy);

    public static string Of(ReleaseCommand c) => Hash("release", c.StoreId, c.TerminalId, c.HoldId);

    public static string Of(RefundCommand c) => c.OccurredAt is { } at
        ? Hash("refund", c.StoreId, c.TerminalId, c.OriginalRequestId, c.AmountFen, at.UtcTicks)
        : Hash("refund", c.StoreId, c.TerminalId, c.OriginalRequestId, c.AmountFen);

    public static string Of(ActivityCommand c) => c.OccurredAt is { } at
        ? Hash("activity", c.StoreId, c.TerminalId, c.Kind, c.Reference, at.UtcTicks)
        : Hash("activity", c.StoreId, c.TerminalId, c.Kind, c.Reference);

    /// <summary>Six lower-case hex characters derived from <paramref name="value"/>.</summary>
    public static string Tag(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..3]);
    }

    private static string Hash(params object?[] parts)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            // Unit separator between fields, and a marker for null, so ("ab","c") ≠ ("a","bc") and null ≠ "".
            text.Append(part is null ? "\u0000" : Convert.ToString(part, CultureInfo.InvariantCulture)).Append('\u001f');
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return Convert.ToBase64String(hash[..16]);
    }
}
