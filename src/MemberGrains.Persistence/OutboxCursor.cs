using System.Globalization;

namespace MemberGrains.Persistence;

/// <summary>
/// A position in the member event outbox: the last event a reader has seen, as (writing
/// transaction, id). Its text form ("" for the beginning) is opaque to callers.
/// </summary>
/// <param name="Tx">The transaction id (xid8) that wrote the last event seen.</param>
/// <param name="Id">The id of the last event seen.</param>
public readonly record struct OutboxCursor(ulong Tx, long Id)
{
    /// <summary>Before the first event.</summary>
    public static OutboxCursor Start => default;

    /// <summary>Reads the text form; an empty or null text is <see cref="Start"/>.</summary>
    public static bool TryParse(string? text, out OutboxCursor cursor)
    {
        cursor = Start;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0
            || !ulong.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var tx)
            || !long.TryParse(text.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return false;
        }

        cursor = new OutboxCursor(tx, id);
        return true;
    }

    /// <summary>The text form, "" for <see cref="Start"/>.</summary>
    public override string ToString() =>
        this == Start ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"{Tx}.{Id}");
}
