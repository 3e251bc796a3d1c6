namespace MemberGrains.Silo.Screens;

/// <summary>What a member scans at a screen: the member number, or a card's QR payload holding it.</summary>
public static class ScreenInput
{
    /// <summary>The QR payload prefix of a MemberGrains member card ("MG:M1001").</summary>
    public const string QrPrefix = "MG:";

    /// <summary>
    /// The member number in <paramref name="scanned"/>: a plain number, "MG:&lt;number&gt;", or a URL
    /// whose query has member=&lt;number&gt;. Anything else is passed on unchanged (and validated as a
    /// member number by the caller).
    /// </summary>
    public static string MemberNumber(string scanned)
    {
        var text = scanned.Trim();
        if (text.StartsWith(QrPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return text[QrPrefix.Length..];
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                if (parts.Length == 2 && parts[0] == "member")
                {
                    return Uri.UnescapeDataString(parts[1]);
                }
            }
        }

        return text;
    }
}
