namespace MemberGrains.Domain.Rules;

/// <summary>
/// Behaviour points for one kind of activity (check-in, review, referral …), at most
/// <see cref="MaxPerDay"/> times per store-local day and <see cref="MaxPerMember"/> times ever (0: no limit).
/// </summary>
public sealed record ActivityRule(string Kind, long Points, int MaxPerDay, int MaxPerMember);
