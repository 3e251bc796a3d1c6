namespace MemberGrains.Abstractions;

/// <summary>A replenishment reminder (see store_screen.proto, Reminder).</summary>
[GenerateSerializer, Immutable, Alias("membergrains.ReminderInfo")]
public sealed record ReminderInfo
{
    [Id(0)] public required string Category { get; init; }
    [Id(1)] public int UsualIntervalDays { get; init; }
    [Id(2)] public int DaysSinceLast { get; init; }
    /// <summary>Days until due; negative when overdue.</summary>
    [Id(3)] public int DueInDays { get; init; }
    /// <summary>The category's name for screens.</summary>
    [Id(4)] public LocalizedTextInfo? Name { get; init; }
}
