namespace MemberGrains.Domain.Rules;

/// <summary>One thing wrong with a program document.</summary>
/// <param name="Path">Where, as a JSON path ("earning.brackets[1].pointsPerUnit"; "" for the whole document).</param>
/// <param name="Message">What is wrong, in words an operator can act on.</param>
public sealed record ProgramProblem(string Path, string Message);
