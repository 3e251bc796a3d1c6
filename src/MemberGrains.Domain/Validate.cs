namespace MemberGrains.Domain;

/// <summary>Input checks shared by the account and the wire edge; each failure names the wire field.</summary>
public static class Validate
{
    /// <summary>Longest id accepted (member, request, store, terminal, hold, sku).</summary>
    public const int MaxIdLength = 128;

    /// <summary>A required identifier: 1–128 printable ASCII characters without spaces.</summary>
    public static void Id(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw DomainException.Invalid(field, $"{field} is required.");
        }

        if (value.Length > MaxIdLength)
        {
            throw DomainException.Invalid(field, $"{field} is longer than {MaxIdLength} characters.");
        }

        foreach (var c in value)
        {
            if (c <= ' ' || c > '~')
            {
                throw DomainException.Invalid(field, $"{field} may only contain printable ASCII characters without spaces.");
            }
        }
    }

    /// <summary>An optional identifier: empty or a valid <see cref="Id"/>.</summary>
    public static void OptionalId(string field, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Id(field, value);
        }
    }

    /// <summary>A member number: 1–64 letters, digits, '-', '_', '.' or ':'.</summary>
    public static void MemberId(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw DomainException.Invalid(field, $"{field} is required.");
        }

        if (value.Length > 64)
        {
            throw DomainException.Invalid(field, $"{field} is longer than 64 characters.");
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                throw DomainException.Invalid(field, $"{field} may only contain letters, digits, '-', '_', '.' and ':'.");
            }
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
}
