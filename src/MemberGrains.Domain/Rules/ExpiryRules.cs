namespace MemberGrains.Domain.Rules;

/// <summary>When earned points expire, and how early members are told.</summary>
/// <param name="Mode">Which expiry rule applies.</param>
/// <param name="Months">Validity for <see cref="ExpiryMode.RollingMonths"/>.</param>
/// <param name="ExpiringSoonDays">Points expiring within this many days are shown (and announced) as expiring soon.</param>
public sealed record ExpiryRules(ExpiryMode Mode, int Months, int ExpiringSoonDays);

/// <summary>Expiry rule of points lots.</summary>
public enum ExpiryMode
{
    /// <summary>Points earned in year Y expire at the first instant of year Y+2 (store zone).</summary>
    EndOfYearAfterEarning,

    /// <summary>Points expire <see cref="ExpiryRules.Months"/> calendar months after they were earned.</summary>
    RollingMonths,

    /// <summary>Points never expire.</summary>
    Never,
}
