using System.Globalization;
using System.Text;

namespace MemberGrains.Domain;

/// <summary>
/// Input checks shared by the account, the program validator and the wire edge; each failure names
/// the wire field. Text is Unicode: ids and names in any script (<c>上海01</c>, <c>生鲜</c>,
/// <c>baby food</c>), normalised to NFC by the edge, bounded in length (counted in Unicode code
/// points), without control or format characters and without leading or trailing spaces.
/// </summary>
public static class Validate
{
    /// <summary>Longest id accepted (request, store, terminal, hold, sku, category, activity kind and reference, approver).</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest member number.</summary>
    public const int MaxMemberIdLength = 64;

    /// <summary>A required identifier: 1–128 characters of text (see the class remarks).</summary>
    public static void Id(string field, string? value) => Text(field, value, MaxIdLength);

    /// <summary>An optional identifier: empty or a valid <see cref="Id"/>.</summary>
    public static void OptionalId(string field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Id(field, value);
        }
    }

    /// <summary>A required piece of text of at most <paramref name="maxLength"/> code points (see the class remarks).</summary>
    public static void Text(string field, string? value, int maxLength)
    {
        if (TextProblem(value, maxLength) is { } problem)
        {
            throw DomainException.Invalid(field, $"{field} {problem}.");
        }
    }

    /// <summary>A member number: 1–64 letters or digits of any script, '-', '_', '.' or ':'.</summary>
    public static void MemberId(string field, string? value)
    {
        Text(field, value, MaxMemberIdLength);
        foreach (var rune in value!.EnumerateRunes())
        {
            if (!(Rune.IsLetterOrDigit(rune) || rune.Value is '-' or '_' or '.' or ':'))
            {
                throw DomainException.Invalid(field, $"{field} may only contain letters, digits, '-', '_', '.' and ':' (found {Describe(rune)}).");
            }
        }
    }

    /// <summary>
    /// Why <paramref name="value"/> is not acceptable text of at most <paramref name="maxLength"/>
    /// code points, as the end of a sentence starting with the field's name ("is required"), or null.
    /// </summary>
    public static string? TextProblem(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is required";
        }

        var length = 0;
        var index = 0;
        while (index < value.Length)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(index), out var rune, out var used) != System.Buffers.OperationStatus.Done)
            {
                return "is not valid Unicode text (a lone surrogate)";
            }

            if (!Allowed(rune))
            {
                return $"must not contain control, format or unassigned characters ({Describe(rune)} at position {length + 1})";
            }

            index += used;
            if (++length > maxLength)
            {
                return $"is longer than {maxLength} characters";
            }
        }

        if (Rune.IsWhiteSpace(Rune.GetRuneAt(value, 0)) || char.IsWhiteSpace(value[^1]))
        {
            return "must not start or end with a space";
        }

        if (!value.IsNormalized(NormalizationForm.FormC))
        {
            return "must be Unicode text in normalisation form C (NFC)";
        }

        return null;
    }

    /// <summary>Text as the edge hands it on: NFC (so "Zu\u0308rich" and "Zürich" are one store), or unchanged if it is not valid Unicode (the checks then refuse it).</summary>
    public static string Normalized(string value)
    {
        try
        {
            return value.IsNormalized(NormalizationForm.FormC) ? value : value.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return value;
        }
    }

    /// <summary>A strictly positive amount no larger than <paramref name="max"/>.</summary>
    public static void Positive(string field, long value, long max)
    {
        if (value <= 0)
        {
            throw DomainException.Invalid(field, $"{field} must be greater than zero.");
        }

        if (value > max)
        {
            throw DomainException.Invalid(field, $"{field} must not exceed {max}.");
        }
    }

    /// <summary>Zero (meaning "all") or a positive amount no larger than <paramref name="max"/>.</summary>
    public static void ZeroOrPositive(string field, long value, long max)
    {
        if (value != 0)
        {
            Positive(field, value, max);
        }
    }

    /// <summary>
    /// Letters, marks, digits, punctuation, symbols and spaces are text; controls (NUL, newlines),
    /// format characters (bidirectional overrides, zero-width spaces, BOM — except the zero-width
    /// joiners some scripts and emoji need), line and paragraph separators, private-use and
    /// unassigned code points are not.
    /// </summary>
    private static bool Allowed(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        UnicodeCategory.Format => rune.Value is 0x200C or 0x200D,
        _ => true,
    };

    private static string Describe(Rune rune) =>
        Rune.IsControl(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.SpaceSeparator
            ? string.Create(CultureInfo.InvariantCulture, $"U+{rune.Value:X4}")
            : string.Create(CultureInfo.InvariantCulture, $"'{rune}' (U+{rune.Value:X4})");
}
