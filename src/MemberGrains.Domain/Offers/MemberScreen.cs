namespace MemberGrains.Domain.Offers;

/// <summary>What an in-store screen shows after a member scans: nothing a passer-by should not see.</summary>
/// <param name="MaskedMemberId">The member number with all but its first three and last two characters masked.</param>
/// <param name="Personalised">Whether the member consented to personalisation (without it: generic offers only, no reminders, no tags).</param>
/// <param name="Balance">Points balance.</param>
/// <param name="Available">Points redeemable now.</param>
/// <param name="Tier">Tier, benefits and progress to the next tier.</param>
/// <param name="ExpiringSoon">Points expiring within the program's notice window.</param>
/// <param name="Offers">Offers the member can use now or soon here, most valuable first.</param>
/// <param name="Reminders">Categories the member is due to buy again.</param>
/// <param name="Tags">Categories the member buys often.</param>
/// <param name="ProgramVersion">Program that decided.</param>
/// <param name="Lifecycle">Where the member is in their life with the program.</param>
/// <param name="AsOf">The instant it describes.</param>
public sealed record MemberScreen(
    string MaskedMemberId,
    bool Personalised,
    long Balance,
    long Available,
    TierStatus Tier,
    ExpiringPoints ExpiringSoon,
    IReadOnlyList<ScreenOffer> Offers,
    IReadOnlyList<ReplenishmentReminder> Reminders,
    IReadOnlyList<AffinityTag> Tags,
    int ProgramVersion,
    LifecycleStage Lifecycle,
    DateTimeOffset AsOf);
