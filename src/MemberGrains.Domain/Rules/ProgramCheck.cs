namespace MemberGrains.Domain.Rules;

/// <summary>The result of checking a program document: the program when it is valid, else every problem found.</summary>
public sealed record ProgramCheck(LoyaltyProgram? Program, IReadOnlyList<ProgramProblem> Problems)
{
    public bool IsValid => Program is not null && Problems.Count == 0;
}
