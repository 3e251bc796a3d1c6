namespace MemberGrains.LoadTests.Drills;

/// <summary>A member's balance as one silo answered GetMember (null when it could not be read, with why).</summary>
internal readonly record struct MemoryReading(string MemberId, string Silo, long? Balance, string? Error);
