using System.Globalization;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// Where a value sits in a program document, written the way problems report it:
/// <c>earning.brackets[1].pointsPerUnit</c>; the empty path is the whole document.
/// </summary>
internal readonly record struct ValidationPath
{
    private ValidationPath(string text) => Text = text;

    /// <summary>The whole document.</summary>
    public static ValidationPath Root { get; } = new(string.Empty);

    public string Text { get; }

    /// <summary>A member of this object by its JSON name (as written in the document).</summary>
    public ValidationPath Field(string jsonName)
    {
        if (IsPlainName(jsonName))
        {
            return new(Text.Length == 0 ? jsonName : Text + "." + jsonName);
        }

        // Names a dotted path could not show unambiguously (unknown fields can be anything).
        var quoted = jsonName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        return new(Text + "['" + quoted + "']");
    }

    /// <summary>A member of this object by its C# property name (use <c>nameof</c>), converted to its JSON name.</summary>
    public ValidationPath Member(string propertyName) =>
        Field(ProgramJson.Options.PropertyNamingPolicy?.ConvertName(propertyName) ?? propertyName);

    /// <summary>An element of this array.</summary>
    public ValidationPath Item(int index) => new(Text + "[" + index.ToString(CultureInfo.InvariantCulture) + "]");

    /// <summary>Whether one of the two paths is the other or lies inside it.</summary>
    public bool Overlaps(ValidationPath other) => Contains(this, other) || Contains(other, this);

    public override string ToString() => Text;

    private static bool Contains(ValidationPath outer, ValidationPath inner)
    {
        if (!inner.Text.StartsWith(outer.Text, StringComparison.Ordinal))
        {
            return false;
        }

        return inner.Text.Length == outer.Text.Length
            || outer.Text.Length == 0
            || inner.Text[outer.Text.Length] is '.' or '[';
    }

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
