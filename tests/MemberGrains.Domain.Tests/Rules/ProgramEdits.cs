using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MemberGrains.Domain.Tests.Rules;

/// <summary>
/// Changes a program document by path, so a test can state in one line what it breaks.
/// <c>earning.pendingDays=366</c> sets (or adds) a value (<c>earning['odd name']</c> for names with spaces or dots), <c>-tiers.levels[3]</c> removes a field or
/// element, <c>earning.campaigns+={...}</c> appends to an array. Values are JSON; single quotes
/// stand for double quotes so values read well inside C# strings.
/// </summary>
internal static partial class ProgramEdits
{
    private static readonly JsonDocumentOptions ReadOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public static string Apply(string json, params string[] edits)
    {
        var root = JsonNode.Parse(json, documentOptions: ReadOptions)
            ?? throw new ArgumentException("The document to edit is null.", nameof(json));
        foreach (var edit in edits)
        {
            Apply(root, edit);
        }

        return root.ToJsonString();
    }

    /// <summary>Every path in a document, containers and leaves, in document order.</summary>
    public static IEnumerable<string> Paths(string json)
    {
        var paths = new List<string>();
        Collect(JsonNode.Parse(json, documentOptions: ReadOptions), string.Empty, paths);
        return paths;
    }

    private static void Apply(JsonNode root, string edit)
    {
        if (edit.StartsWith('-'))
        {
            var (parent, key) = Parent(root, edit[1..]);
            if (key is int index)
            {
                parent.AsArray().RemoveAt(index);
            }
            else
            {
                Assert.True(parent.AsObject().Remove((string)key), $"Nothing to remove at {edit[1..]}.");
            }

            return;
        }

        var equals = edit.IndexOf('=', StringComparison.Ordinal);
        Assert.True(equals > 0, $"Not an edit: {edit}");
        var value = JsonNode.Parse(edit[(equals + 1)..].Replace('\'', '"'));
        if (edit[equals - 1] == '+')
        {
            Resolve(root, edit[..(equals - 1)]).AsArray().Add(value);
            return;
        }

        var (target, last) = Parent(root, edit[..equals]);
        if (last is int at)
        {
            target.AsArray()[at] = value;
        }
        else
        {
            target.AsObject()[(string)last] = value;
        }
    }

    private static (JsonNode Parent, object Key) Parent(JsonNode root, string path)
    {
        var steps = Steps(path);
        var parent = root;
        foreach (var step in steps.SkipLast(1))
        {
            parent = Step(parent, step);
        }

        return (parent, steps[^1]);
    }

    private static JsonNode Resolve(JsonNode root, string path) => Steps(path).Aggregate(root, Step);

    private static JsonNode Step(JsonNode node, object step) =>
        (step is int index ? node.AsArray()[index] : node.AsObject()[(string)step])
        ?? throw new InvalidOperationException($"Nothing at {step} in {node.GetPath()}.");

    private static List<object> Steps(string path) =>
        [.. StepPattern().Matches(path).Select(m =>
            m.Groups["index"].Success ? (object)int.Parse(m.Groups["index"].Value, CultureInfo.InvariantCulture)
            : m.Groups["quoted"].Success ? m.Groups["quoted"].Value
            : m.Groups["name"].Value)];

    private static void Collect(JsonNode? node, string path, List<string> paths)
    {
        if (path.Length > 0)
        {
            paths.Add(path);
        }

        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    Collect(child, path.Length == 0 ? name : path + "." + name, paths);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array[i], path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", paths);
                }

                break;
        }
    }

    [GeneratedRegex(@"\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]|(?<name>[^.\[\]]+)")]
    private static partial Regex StepPattern();
}
