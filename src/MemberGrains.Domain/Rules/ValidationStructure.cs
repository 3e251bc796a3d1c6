using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// The structural pass: walks a raw document against the shape <see cref="ProgramJson.Options"/>
/// gives the program records (so it follows the records as they change) and reports every unknown,
/// missing, null, wrongly typed or misspelt value. It also builds a repaired copy of the document
/// (unknown fields dropped, bad values replaced by neutral stand-ins) so the rule checks can still
/// look at everything else in the same round.
/// </summary>
internal static class ValidationStructure
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>Longest piece of a bad text value quoted back in a message.</summary>
    private const int QuoteLength = 40;

    /// <summary>
    /// Parses <paramref name="json"/> and walks it as a <see cref="LoyaltyProgram"/>. Returns the
    /// repaired document, or null when there is nothing to walk (not JSON, or not an object).
    /// </summary>
    public static JsonObject? Read(string? json, ValidationReport report)
    {
        var root = ValidationPath.Root;
        if (string.IsNullOrWhiteSpace(json))
        {
            report.Structural(root, $"The program document is empty; send the whole program as one JSON object.");
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = ProgramJson.Options.ReadCommentHandling,
                AllowTrailingCommas = ProgramJson.Options.AllowTrailingCommas,
                MaxDepth = ProgramJson.Options.MaxDepth,
            });
        }
        catch (JsonException e)
        {
            report.Structural(root, $"The program document is not valid JSON (line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}): {ReaderReason(e.Message)}");
            return null;
        }
        catch (ArgumentException e)
        {
            // Text that cannot be encoded as UTF-8 (a lone surrogate, for example).
            report.Structural(root, $"The program document is not valid text: {e.Message}");
            return null;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                report.Structural(root, $"The program document must be a JSON object ({{ ... }}), but it is {Describe(document.RootElement)}.");
                return null;
            }

            return (JsonObject)Walk(document.RootElement, typeof(LoyaltyProgram), root, report)!;
        }
    }

    /// <summary>The JSON names of an enum's values, as a document must spell them.</summary>
    public static string EnumNames(Type enumType) => string.Join(", ", JsonEnumNames(enumType));

    /// <summary>The JSON name of one enum value (its number if it has no name).</summary>
    public static string EnumName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = Enum.GetName(value);
        return name is null
            ? Convert.ToString(Convert.ToInt64(value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
            : ProgramJson.Options.PropertyNamingPolicy?.ConvertName(name) ?? name;
    }

    /// <summary>A value quoted back to the operator: in double quotes, shortened, control characters made visible.</summary>
    public static string Quote(string text)
    {
        var shown = new StringBuilder("\"");
        foreach (var c in Shorten(text))
        {
            _ = c switch
            {
                '"' => shown.Append("\\\""),
                '\\' => shown.Append("\\\\"),
                '\n' => shown.Append("\\n"),
                '\r' => shown.Append("\\r"),
                '\t' => shown.Append("\\t"),
                _ when char.IsControl(c) => shown.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => shown.Append(c),
            };
        }

        return shown.Append('"').ToString();
    }

    private static JsonNode? Walk(JsonElement element, Type type, ValidationPath path, ValidationReport report)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return element.ValueKind == JsonValueKind.Null ? null : Walk(element, underlying, path, report);
        }

        var info = ProgramJson.Options.GetTypeInfo(type);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => WalkObject(element, info, path, report),
            JsonTypeInfoKind.Enumerable => WalkArray(element, info, path, report),
            JsonTypeInfoKind.None => WalkValue(element, type, path, report),
            // Dictionaries are not part of the program shape; the deserializer will judge one if it appears.
            _ => JsonCopy(element),
        };
    }

    private static JsonNode? WalkObject(JsonElement element, JsonTypeInfo info, ValidationPath path, ValidationReport report)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Replace(path, info.Type, $"{path} must be an object ({{ ... }}), but it is {Describe(element)}.", report);
        }

        var known = new Dictionary<string, JsonPropertyInfo>(StringComparer.Ordinal);
        foreach (var property in info.Properties)
        {
            known[property.Name] = property;
        }

        var result = new JsonObject();
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = path.Field(member.Name);
            if (!known.TryGetValue(member.Name, out var property))
            {
                report.Structural(memberPath, $"{memberPath} is not a field of {Describe(path)}.{Suggest(member.Name, info)}");
                continue;
            }

            if (result.ContainsKey(member.Name))
            {
                report.Structural(memberPath, $"{memberPath} appears more than once; keep only one (readers would silently use the last and ignore the others).");
                result.Remove(member.Name);
            }

            if (member.Value.ValueKind == JsonValueKind.Null && !AcceptsNull(property))
            {
                result[member.Name] = Replace(memberPath, property.PropertyType, $"{memberPath} must not be null; give it a value{OrOmit(property)}.", report);
                continue;
            }

            result[member.Name] = Walk(member.Value, property.PropertyType, memberPath, report);
        }

        foreach (var property in info.Properties)
        {
            if (property.IsRequired && !result.ContainsKey(property.Name))
            {
                var memberPath = path.Field(property.Name);
                result[property.Name] = Replace(memberPath, property.PropertyType, $"{memberPath} is missing; it is required ({Expected(property.PropertyType)}).", report);
            }
        }

        return result;
    }

    private static JsonNode? WalkArray(JsonElement element, JsonTypeInfo info, ValidationPath path, ValidationReport report)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return Replace(path, info.Type, $"{path} must be an array ([ ... ]), but it is {Describe(element)}.", report);
        }

        var itemType = info.ElementType ?? typeof(object);
        var result = new JsonArray();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = path.Item(index++);
            if (item.ValueKind == JsonValueKind.Null && Nullable.GetUnderlyingType(itemType) is null)
            {
                result.Add(Replace(itemPath, itemType, $"{itemPath} must not be null; remove it or give it a value ({Expected(itemType)}).", report));
                continue;
            }

            result.Add(Walk(item, itemType, itemPath, report));
        }

        return result;
    }

    private static JsonNode? WalkValue(JsonElement element, Type type, ValidationPath path, ValidationReport report)
    {
        if (type.IsEnum)
        {
            var names = JsonEnumNames(type);
            if (element.ValueKind == JsonValueKind.String && ReadString(element) is { } text && names.Contains(text, StringComparer.Ordinal))
            {
                return JsonValue.Create(text);
            }

            var close = element.ValueKind == JsonValueKind.String && ReadString(element) is { } written
                ? names.FirstOrDefault(n => string.Equals(n, written.Trim(), StringComparison.OrdinalIgnoreCase))
                : null;
            var hint = close is null ? string.Empty : $" Choices are case-sensitive: did you mean {close}?";
            return Replace(path, type, $"{path} is {Describe(element)}; it must be one of: {string.Join(", ", names)}.{hint}", report);
        }

        var readable = Type.GetTypeCode(type) switch
        {
            TypeCode.String => element.ValueKind == JsonValueKind.String && ReadString(element) is { } text && !text.Any(char.IsControl),
            TypeCode.Boolean => element.ValueKind is JsonValueKind.True or JsonValueKind.False,
            TypeCode.Int32 => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out _),
            TypeCode.Int64 => element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out _),
            TypeCode.Decimal => element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out _),
            _ when type == typeof(DateOnly) => element.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(ReadString(element), DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            // A value kind the program shape does not use yet: leave it to the deserializer.
            _ => true,
        };

        if (readable)
        {
            return JsonCopy(element);
        }

        if (Type.GetTypeCode(type) == TypeCode.String && element.ValueKind == JsonValueKind.String && ReadString(element) is { } withControls)
        {
            var at = withControls.Select((c, i) => (c, i)).First(x => char.IsControl(x.c));
            return Replace(path, type, $"{path} must not contain control characters; it holds U+{(int)at.c:X4} at position {at.i + 1}.", report);
        }

        if (element.ValueKind == JsonValueKind.Number && Type.GetTypeCode(type) is TypeCode.Int32 or TypeCode.Int64)
        {
            var (min, max) = Type.GetTypeCode(type) == TypeCode.Int32 ? ((decimal)int.MinValue, (decimal)int.MaxValue) : (long.MinValue, long.MaxValue);
            // Digits only (no '.', no exponent) that still do not fit: too large or too small.
            return element.GetRawText().AsSpan().IndexOfAny(".eE") < 0
                ? Replace(path, type, $"{path} is {Describe(element)}, which is out of range; it must be between {min} and {max}.", report)
                : Replace(path, type, $"{path} must be a whole number written without a decimal point or exponent, but it is {Describe(element)}.", report);
        }

        return Replace(path, type, $"{path} must be {Expected(type)}, but it is {Describe(element)}.", report);
    }

    /// <summary>Reports a bad value and returns the stand-in that takes its place in the repaired document.</summary>
    private static JsonNode? Replace(ValidationPath path, Type type, FormattableString message, ValidationReport report)
    {
        report.Repaired(path, message);
        return StandIn(type, depth: 0);
    }

    /// <summary>A neutral value of <paramref name="type"/> that reads without error.</summary>
    private static JsonNode? StandIn(Type type, int depth)
    {
        if (depth > 32 || Nullable.GetUnderlyingType(type) is not null)
        {
            return null;
        }

        if (type.IsEnum)
        {
            return JsonValue.Create(JsonEnumNames(type)[0]);
        }

        var info = ProgramJson.Options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                var result = new JsonObject();
                foreach (var property in info.Properties.Where(p => p.IsRequired))
                {
                    result[property.Name] = StandIn(property.PropertyType, depth + 1);
                }

                return result;
            case JsonTypeInfoKind.Enumerable:
                return new JsonArray();
            case JsonTypeInfoKind.Dictionary:
                return new JsonObject();
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => JsonValue.Create(string.Empty),
            TypeCode.Boolean => JsonValue.Create(false),
            TypeCode.Int32 or TypeCode.Int64 or TypeCode.Decimal => JsonValue.Create(0),
            _ when type == typeof(DateOnly) => JsonValue.Create(DateOnly.MinValue.ToString(DateFormat, CultureInfo.InvariantCulture)),
            _ => null,
        };
    }

    private static bool AcceptsNull(JsonPropertyInfo property) =>
        property.IsSetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null;

    private static string OrOmit(JsonPropertyInfo property) =>
        property.IsRequired ? $" ({Expected(property.PropertyType)})" : $" ({Expected(property.PropertyType)}) or leave it out";

    /// <summary>What a value of <paramref name="type"/> looks like, in words.</summary>
    private static string Expected(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Expected(underlying);
        }

        if (type.IsEnum)
        {
            return "one of: " + EnumNames(type);
        }

        if (type == typeof(DateOnly))
        {
            return "a date written as " + DateFormat;
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => "text in double quotes",
            TypeCode.Boolean => "true or false",
            TypeCode.Int32 or TypeCode.Int64 => "a whole number",
            TypeCode.Decimal => "a number",
            _ => ProgramJson.Options.GetTypeInfo(type).Kind switch
            {
                JsonTypeInfoKind.Object => "an object",
                JsonTypeInfoKind.Enumerable => "an array",
                _ => "a value",
            },
        };
    }

    /// <summary>What a JSON value is, in words, quoting short values back.</summary>
    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => ReadString(element) is { } text ? "the text " + Quote(text) : "text with a broken escape sequence",
        JsonValueKind.Number => "the number " + Shorten(element.GetRawText()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static string Describe(ValidationPath path) => path.Text.Length == 0 ? "the program" : path.Text;

    /// <summary>Points at the field the operator probably meant, or lists the fields allowed.</summary>
    private static string Suggest(string name, JsonTypeInfo info)
    {
        var names = info.Properties.Select(p => p.Name).ToList();
        var close = names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return close is not null
            ? $" Field names are case-sensitive: did you mean {close}?"
            : $" The fields allowed here are: {string.Join(", ", names)}.";
    }

    private static string[] JsonEnumNames(Type enumType)
    {
        var policy = ProgramJson.Options.PropertyNamingPolicy;
        return [.. Enum.GetNames(enumType).Select(n => policy?.ConvertName(n) ?? n)];
    }

    private static string? ReadString(JsonElement element)
    {
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escape sequence that is not valid UTF-16 (a lone surrogate such as \ud800).
            return null;
        }
    }

    private static JsonNode? JsonCopy(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element.Clone()),
        JsonValueKind.Array => JsonArray.Create(element.Clone()),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => JsonValue.Create(element.Clone()),
    };

    private static string Shorten(string text) => text.Length <= QuoteLength ? text : text[..QuoteLength] + "…";

    /// <summary>The reader's explanation without its own position suffix (the message gives the position once).</summary>
    private static string ReaderReason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut].TrimEnd();
    }
}
