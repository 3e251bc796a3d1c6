namespace MemberGrains.Domain;

/// <summary>
/// Something automations react to (first purchase, tier changed …), committed in the outbox with
/// the state change that caused it.
/// </summary>
/// <param name="Seq">Member-local sequence number, gap-free from 1: (member, seq) identifies the event.</param>
/// <param name="Kind">One of <see cref="EventKinds"/>.</param>
/// <param name="At">When it happened.</param>
/// <param name="ProgramVersion">Program version that decided it.</param>
/// <param name="Data">Event details as text ("from" → "Regular", "points" → "1200" …).</param>
public sealed record MemberEvent(long Seq, string Kind, DateTimeOffset At, int ProgramVersion, IReadOnlyDictionary<string, string> Data);
