using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>"Usually every 14 days, last bought 12 days ago": a category the member is due to buy again.</summary>
/// <param name="Category">The category as tills send it.</param>
/// <param name="Name">Its name for screens.</param>
/// <param name="UsualIntervalDays">The member's typical days between purchases of it (the median of recent intervals).</param>
/// <param name="DaysSinceLast">Store-local days since the last purchase of it.</param>
/// <param name="DueInDays">Days until the usual interval is up (negative: overdue).</param>
public sealed record ReplenishmentReminder(string Category, LocalizedText Name, int UsualIntervalDays, int DaysSinceLast, int DueInDays);
