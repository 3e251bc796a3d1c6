namespace MemberGrains.Domain;

/// <summary>
/// The base program: 1 point per whole CNY, 100 welcome points, points expiring at the end of
/// the year after they were earned (store zone), tiers by qualifying spend
/// (Regular 0–999 CNY, Silver 1,000+, Gold 10,000+, Platinum 50,000+).
/// </summary>
public sealed class BaseLoyaltyRules : ILoyaltyRules
{
    /// <summary>Version of the base program.</summary>
    public const int BaseVersion = 1;

    private const long FenPerYuan = 100;

    public BaseLoyaltyRules(TimeZoneInfo timeZone)
    {
        TimeZone = timeZone;
    }

    /// <summary>The base program in China Standard Time.</summary>
    public static BaseLoyaltyRules Default { get; } = new(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));

    public int Version => BaseVersion;

    public TimeZoneInfo TimeZone { get; }

    public long EnrollmentBonus => 100;

    public long MinimumRedemptionPoints => 1;

    public long RedemptionStep => 1;

    public TimeSpan DefaultHoldTtl => TimeSpan.FromMinutes(10);

    public TimeSpan MaxHoldTtl => TimeSpan.FromHours(1);

    public long PointsForSpend(long amountFen) => amountFen <= 0 ? 0 : amountFen / FenPerYuan;

    public DateTimeOffset LotExpiry(DateTimeOffset earnedAt)
    {
        var local = TimeZoneInfo.ConvertTime(earnedAt, TimeZone);
        // "Cleared on 1 January": the first instant of year Y+2 in the store's zone.
        var firstOfYearAfterNext = new DateTime(local.Year + 2, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(firstOfYearAfterNext, TimeZone.GetUtcOffset(firstOfYearAfterNext));
    }

    public Tier TierFor(long qualifyingSpendFen) => (qualifyingSpendFen / FenPerYuan) switch
    {
        >= 50_000 => Tier.Platinum,
        >= 10_000 => Tier.Gold,
        >= 1_000 => Tier.Silver,
        _ => Tier.Regular,
    };
}
