using MemberGrains.Domain.Rules;

namespace MemberGrains.Persistence;

/// <summary>The outcome of publishing a program document: the new version, or every problem that kept it from being published.</summary>
public sealed record ProgramPublishResult(ProgramVersion? Published, IReadOnlyList<ProgramProblem> Problems)
{
    public static ProgramPublishResult Success(ProgramVersion published) => new(published, []);

    public static ProgramPublishResult Refused(IReadOnlyList<ProgramProblem> problems) => new(null, problems);
}
