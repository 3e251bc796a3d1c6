namespace MemberGrains.Domain.Rules;

/// <summary>Which automation events are raised besides first purchase, tier changes and risk flags.</summary>
/// <param name="BirthdayWeek">Raise birthday_week_started when the member's birthday week (Monday to Sunday) begins.</param>
/// <param name="ExpiringSoon">Raise points_expiring_soon once per expiry date when points enter the expiring-soon window.</param>
public sealed record NoticeRules(bool BirthdayWeek, bool ExpiringSoon);
