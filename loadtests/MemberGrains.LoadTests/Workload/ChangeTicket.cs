namespace MemberGrains.LoadTests.Workload;

/// <summary>A change of a member being sent: the watch that records it (null when none) and its number there.</summary>
internal readonly record struct ChangeTicket(int Member, ScreenWatch? Watch, int Change);
