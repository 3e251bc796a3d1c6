using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Whether a BadRequest field names something in the request: a proto field path
/// (<c>lines[1].amount_fen</c>, the index within the request's lines), or for a program document a
/// JSON path (<c>earning.brackets[0].pointsPerUnit</c>, <c>['生鲜']</c>) that is in the document or
/// names a missing member of something that is.
/// </summary>
internal static class FieldPaths
{
    public static bool Exists(FuzzCase fuzzCase, string field)
    {
        if (string.IsNullOrEmpty(field))
        {
            return false;
        }

        if (ProtoPathExists(fuzzCase.Method.InputType, fuzzCase.Request, field))
        {
            return true;
        }

        return fuzzCase.Method.InputType.FullName == PublishProgramRequest.Descriptor.FullName
            && JsonPath(field) is { } segments
            && DocumentHas((fuzzCase.Request as PublishProgramRequest)?.DocumentJson, segments);
    }

    private static bool ProtoPathExists(MessageDescriptor type, IMessage? message, string path)
    {
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var open = part.IndexOf('[', StringComparison.Ordinal);
            var name = open < 0 ? part : part[..open];
            var field = type.FindFieldByName(name);
            if (field is null)
            {
                return false;
            }

            IMessage? next = null;
            if (open >= 0)
            {
                if (!field.IsRepeated || !part.EndsWith(']') || !int.TryParse(part.AsSpan(open + 1, part.Length - open - 2), out var index) || index < 0)
                {
                    return false;
                }

                if (message is not null)
                {
                    var list = (IList)field.Accessor.GetValue(message);
                    if (index >= list.Count)
                    {
                        return false;
                    }

                    next = list[index] as IMessage;
                }
            }
            else if (message is not null && field.FieldType == FieldType.Message && !field.IsRepeated)
            {
                next = field.Accessor.GetValue(message) as IMessage;
            }

            if (i < parts.Length - 1)
            {
                if (field.FieldType != FieldType.Message || (field.IsRepeated && open < 0))
                {
                    return false;
                }

                type = field.MessageType;
                message = next;
            }
        }

        return true;
    }

    /// <summary>The segments of a JSON path (names and indexes), or null when it is not one.</summary>
    private static List<object>? JsonPath(string path)
    {
        var segments = new List<object>();
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '[')
            {
                var close = path.IndexOf(']', i);
                if (close < 0)
                {
                    return null;
                }

                if (path[i + 1] == '\'')
                {
                    // ['name'] with \\ and \' escaped; the closing quote is followed by ']'.
                    var name = new System.Text.StringBuilder();
                    var j = i + 2;
                    for (; j < path.Length && path[j] != '\''; j++)
                    {
                        if (path[j] == '\\' && j + 1 < path.Length)
                        {
                            j++;
                        }

                        name.Append(path[j]);
                    }

                    if (j + 1 >= path.Length || path[j + 1] != ']')
                    {
                        return null;
                    }

                    segments.Add(name.ToString());
                    i = j + 2;
                }
                else if (int.TryParse(path.AsSpan(i + 1, close - i - 1), out var index) && index >= 0)
                {
                    segments.Add(index);
                    i = close + 1;
                }
                else
                {
                    return null;
                }

                continue;
            }

            if (segments.Count > 0)
            {
                if (path[i] != '.')
                {
                    return null;
                }

                i++;
            }

            var start = i;
            while (i < path.Length && (char.IsAsciiLetterOrDigit(path[i]) || path[i] == '_'))
            {
                i++;
            }

            if (i == start || char.IsAsciiDigit(path[start]))
            {
                return null;
            }

            segments.Add(path[start..i]);
        }

        return segments.Count == 0 ? null : segments;
    }

    private static bool DocumentHas(string? document, List<object> segments)
    {
        try
        {
            var node = JsonNode.Parse(document ?? string.Empty, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 4096 });
            return Walk(node, segments);
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Not readable as JSON (or with duplicate members): a well-formed path is all that can be asked.
            return true;
        }
    }

    private static bool Walk(JsonNode? node, List<object> segments)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            JsonNode? next;
            switch (segments[i], node)
            {
                case (string name, JsonObject o):
                    if (!o.TryGetPropertyValue(name, out next))
                    {
                        // A required member that is missing is named by its path.
                        return last;
                    }

                    break;
                case (int index, JsonArray a):
                    if (index >= a.Count)
                    {
                        return last;
                    }

                    next = a[index];
                    break;
                default:
                    return false;
            }

            node = next;
        }

        return true;
    }
}
