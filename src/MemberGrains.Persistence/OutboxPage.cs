namespace MemberGrains.Persistence;

/// <summary>Events read from the outbox, and the cursor to read on from (the same cursor when nothing new was there).</summary>
public sealed record OutboxPage(IReadOnlyList<StoredMemberEvent> Events, OutboxCursor Next);
