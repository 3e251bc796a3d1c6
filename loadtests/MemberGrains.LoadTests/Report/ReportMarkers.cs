namespace MemberGrains.LoadTests.Report;

/// <summary>
/// Replaces only the generated part of a report — the text between <see cref="Start"/> and
/// <see cref="End"/> — so hand-written sections around it survive regeneration.
/// </summary>
internal static class ReportMarkers
{
    public const string Start = "<!-- generated:start -->";
    public const string End = "<!-- generated:end -->";

    /// <summary>
    /// The new file text: <paramref name="existing"/> with the text between the markers replaced by
    /// <paramref name="generated"/>. No file yet: a title and both markers. A file without markers:
    /// the markers and the generated part appended at its end.
    /// </summary>
    public static string Replace(string? existing, string generated, string title = "Benchmarks")
    {
        var block = $"{Start}\n{generated.Trim('\n')}\n{End}";
        if (existing is null)
        {
            return $"# {title}\n\n{block}\n";
        }

        var start = existing.IndexOf(Start, StringComparison.Ordinal);
        var end = start < 0 ? -1 : existing.IndexOf(End, start + Start.Length, StringComparison.Ordinal);
        if (start < 0 || end < 0)
        {
            return existing.TrimEnd('\n') + "\n\n" + block + "\n";
        }

        return string.Concat(existing.AsSpan(0, start), block, existing.AsSpan(end + End.Length));
    }
}
