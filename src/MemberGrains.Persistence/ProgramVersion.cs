namespace MemberGrains.Persistence;

/// <summary>One published version of the loyalty program, as stored.</summary>
/// <param name="Version">Its number: 1 for the first program, then one more per publication.</param>
/// <param name="DocumentJson">The program document (canonical ProgramJson form).</param>
/// <param name="PublishedAt">When it was published (database time).</param>
/// <param name="PublishedBy">Who published it.</param>
/// <param name="Note">Why, in the publisher's words; may be empty.</param>
public sealed record ProgramVersion(int Version, string DocumentJson, DateTimeOffset PublishedAt, string PublishedBy, string Note);
