namespace MemberGrains.Domain.Rules;

/// <summary>Reminds a member who bought the category in at least <see cref="MinPurchases"/> visits when the usual interval is up within <see cref="RemindWithinDays"/> days, or overdue.</summary>
public sealed record ReplenishRule(int MinPurchases, int RemindWithinDays);
