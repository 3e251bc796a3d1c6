namespace MemberGrains.LoadTests.Report;

/// <summary>A titled piece of the report's generated part, in Markdown.</summary>
internal sealed record ReportSection(string Title, string Markdown);
