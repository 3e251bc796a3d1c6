using System.Globalization;
using System.Text;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Renders hostile values readably in failure messages: invisible characters escaped, long values cut.</summary>
internal static class Show
{
    /// <summary>The value in quotes, controls and format characters as \uXXXX, cut after <paramref name="max"/> characters with its length.</summary>
    public static string Text(string value, int max = 40)
    {
        var text = new StringBuilder("\"");
        var shown = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (shown++ == max)
            {
                text.Append('…');
                break;
            }

            text.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                0 => "\\0",
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                    or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse
                    || (Rune.GetUnicodeCategory(rune) is UnicodeCategory.SpaceSeparator && rune.Value != ' ')
                    => rune.Value <= 0xFFFF
                        ? string.Create(CultureInfo.InvariantCulture, $"\\u{rune.Value:X4}")
                        : string.Create(CultureInfo.InvariantCulture, $"\\U{rune.Value:X8}"),
                _ => rune.ToString(),
            });
        }

        text.Append('"');
        if (shown > max)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({value.Length} chars)");
        }

        return text.ToString();
    }

    /// <summary>The first bytes in hex, with the length when cut.</summary>
    public static string Bytes(ReadOnlySpan<byte> value, int max = 12)
    {
        var shown = Convert.ToHexString(value[..Math.Min(max, value.Length)]);
        var spaced = string.Join(' ', Enumerable.Range(0, shown.Length / 2).Select(i => shown.Substring(i * 2, 2)));
        return value.Length > max ? $"[{spaced} … ({value.Length} bytes)]" : $"[{spaced}]";
    }
}
