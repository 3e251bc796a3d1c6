namespace MemberGrains.LoadTests.Drills;

/// <summary>A member whose calls failed after event <see cref="Event"/> (index; -1 before any event) answered again: first failure and first success after it (Stopwatch timestamps).</summary>
internal readonly record struct RecoverySample(int Member, int Event, long FailedAt, long RecoveredAt);
