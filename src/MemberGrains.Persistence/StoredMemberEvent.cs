namespace MemberGrains.Persistence;

/// <summary>A member event as the outbox holds it.</summary>
/// <param name="Id">Outbox row id: unique, but not in commit order (see <see cref="MemberEventReader"/>).</param>
/// <param name="MemberId">The member it happened to.</param>
/// <param name="Seq">Member-local sequence number, gap-free from 1.</param>
/// <param name="Kind">One of <see cref="Domain.EventKinds"/>.</param>
/// <param name="ProgramVersion">Program version that decided it.</param>
/// <param name="OccurredAt">When it happened (the member's clock).</param>
/// <param name="Data">Event details as text.</param>
public sealed record StoredMemberEvent(
    long Id,
    string MemberId,
    long Seq,
    string Kind,
    int ProgramVersion,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, string> Data);
