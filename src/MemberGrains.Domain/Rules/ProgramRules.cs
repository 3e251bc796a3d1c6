using System.Globalization;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// A published program ready to decide: its version, its document, and the calendar and money
/// arithmetic every rule shares. Immutable and safe to share between members.
/// </summary>
public sealed class ProgramRules
{
    private const long FenPerUnit = 100;

    public ProgramRules(int version, LoyaltyProgram document)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        Version = version;
        Document = document;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(document.TimeZone);
        Clock = new ZoneClock(TimeZone);
        Activities = document.Activities.ToDictionary(a => a.Kind, StringComparer.Ordinal);
        Offers = new OfferBook(this);
        Budgets = [.. Offers.All.Where(o => o.Budget is not null).Select(o => new OfferBudgetSpec(o.Id, o.Budget!))];
        BudgetedOfferIds = [.. Budgets.Select(b => b.OfferId)];
    }

    /// <summary>The offers with a campaign budget.</summary>
    public IReadOnlyList<OfferBudgetSpec> Budgets { get; }

    /// <summary>The ids of <see cref="Budgets"/>.</summary>
    public IReadOnlyList<string> BudgetedOfferIds { get; }

    /// <summary>Program version recorded with every decision, ledger row and event.</summary>
    public int Version { get; }

    public LoyaltyProgram Document { get; }

    /// <summary>The zone calendar rules are evaluated in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Store-local clock time in <see cref="TimeZone"/>, converted cheaply where the zone's offset no longer changes.</summary>
    internal ZoneClock Clock { get; }

    /// <summary>Activity rules by kind.</summary>
    public IReadOnlyDictionary<string, ActivityRule> Activities { get; }

    /// <summary>The program's offers and categories, compiled for baskets, events and screens.</summary>
    internal OfferBook Offers { get; }

    public EarningRules Earning => Document.Earning;

    public RedemptionRules Redemption => Document.Redemption;

    public RiskRules Risk => Document.Risk;

    public OfflineRules Offline => Document.Offline ?? OfflineRules.Default;

    public TimeSpan DefaultHoldTtl => TimeSpan.FromSeconds(Redemption.DefaultHoldSeconds);

    public TimeSpan MaxHoldTtl => TimeSpan.FromSeconds(Redemption.MaxHoldSeconds);

    /// <summary>The store-local calendar date of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset at) => DateOnly.FromDateTime(Clock.ToLocal(at));

    /// <summary>The store-local clock time of an instant (kind Unspecified).</summary>
    public DateTime LocalTime(DateTimeOffset at) => Clock.ToLocal(at);

    /// <summary>The store-local month of an instant as yyyymm (202603).</summary>
    public int LocalMonth(DateTimeOffset at)
    {
        var date = LocalDate(at);
        return MonthKey(date.Year, date.Month);
    }

    /// <summary>yyyymm of a year and month.</summary>
    public static int MonthKey(int year, int month) => (year * 100) + month;

    /// <summary>The month <paramref name="months"/> after (or before, negative) month key <paramref name="month"/>.</summary>
    public static int AddMonths(int month, int months)
    {
        var index = ((month / 100) * 12) + (month % 100) - 1 + months;
        return MonthKey(index / 12, (index % 12) + 1);
    }

    /// <summary>The first instant of a store-local date.</summary>
    /// <remarks>A zone that skips midnight (a DST jump) starts the day at the first valid quarter hour.</remarks>
    public DateTimeOffset StartOf(DateOnly date) => Clock.FromLocal(date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified));

    /// <summary>The first instant of a store-local month key.</summary>
    public DateTimeOffset StartOfMonth(int month) => StartOf(new DateOnly(month / 100, month % 100, 1));

    /// <summary>Whole store-local days from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public int DaysBetween(DateTimeOffset from, DateTimeOffset to) => LocalDate(to).DayNumber - LocalDate(from).DayNumber;

    /// <summary>When points earned at <paramref name="earnedAt"/> expire.</summary>
    public DateTimeOffset LotExpiry(DateTimeOffset earnedAt)
    {
        var date = LocalDate(earnedAt);
        return Document.Expiry.Mode switch
        {
            // "Cleared on 1 January": the first instant of year Y+2 in the store's zone.
            ExpiryMode.EndOfYearAfterEarning => StartOf(new DateOnly(date.Year + 2, 1, 1)),
            ExpiryMode.RollingMonths => StartOf(date.AddMonths(Document.Expiry.Months).AddDays(1)),
            _ => DateTimeOffset.MaxValue,
        };
    }

    /// <summary>The level whose spend range holds <paramref name="qualifyingSpendFen"/>.</summary>
    public TierLevel LevelForSpend(long qualifyingSpendFen)
    {
        var levels = Document.Tiers.Levels;
        for (var i = levels.Count - 1; i > 0; i--)
        {
            if (qualifyingSpendFen >= levels[i].MinSpendFen)
            {
                return levels[i];
            }
        }

        return levels[0];
    }

    /// <summary>The tier a qualifying spend reaches.</summary>
    public Tier TierFor(long qualifyingSpendFen) => LevelForSpend(qualifyingSpendFen).Tier;

    /// <summary>The lowest tier of the program.</summary>
    public Tier LowestTier => Document.Tiers.Levels[0].Tier;

    /// <summary>The level of <paramref name="tier"/>; a tier the program no longer has maps to the nearest lower one it has.</summary>
    public TierLevel Level(Tier tier)
    {
        var levels = Document.Tiers.Levels;
        for (var i = levels.Count - 1; i >= 0; i--)
        {
            if (levels[i].Tier <= tier)
            {
                return levels[i];
            }
        }

        return levels[0];
    }

    /// <summary>The level above <paramref name="tier"/>, or null at the top.</summary>
    public TierLevel? NextLevel(Tier tier)
    {
        var levels = Document.Tiers.Levels;
        for (var i = 0; i < levels.Count; i++)
        {
            if (levels[i].Tier > tier)
            {
                return levels[i];
            }
        }

        return null;
    }

    /// <summary>The level one below <paramref name="tier"/> (the lowest stays lowest).</summary>
    public Tier OneLevelDown(Tier tier) =>
        Document.Tiers.Levels.LastOrDefault(l => l.Tier < tier)?.Tier ?? LowestTier;

    /// <summary>Whether <paramref name="date"/> falls in the birthday period of a member born on <paramref name="birthday"/>.</summary>
    public bool InBirthdayPeriod(DateOnly? birthday, DateOnly date)
    {
        if (birthday is not { } born)
        {
            return false;
        }

        if (Document.Earning.Birthday.Period == BirthdayPeriod.Month)
        {
            return born.Month == date.Month;
        }

        for (var year = date.Year - 1; year <= date.Year + 1; year++)
        {
            var start = BirthdayWeekStart(born, year);
            if (date >= start && date < start.AddDays(7))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Monday of the week holding the birthday in <paramref name="year"/> (29 February counts as 28 February in other years).</summary>
    public static DateOnly BirthdayWeekStart(DateOnly birthday, int year)
    {
        var day = birthday.Month == 2 && birthday.Day == 29 && !DateTime.IsLeapYear(year) ? 28 : birthday.Day;
        var date = new DateOnly(year, birthday.Month, day);
        var sinceMonday = ((int)date.DayOfWeek + 6) % 7;
        return date.AddDays(-sinceMonday);
    }

    /// <summary>The rate bracket an eligible basket amount falls in.</summary>
    public RateBracket BracketFor(long eligibleFen)
    {
        var brackets = Document.Earning.Brackets;
        for (var i = brackets.Count - 1; i > 0; i--)
        {
            if (eligibleFen >= brackets[i].MinSpendFen)
            {
                return brackets[i];
            }
        }

        return brackets[0];
    }

    /// <summary>The highest threshold bonus an eligible basket amount reaches (0 if none).</summary>
    public long ThresholdBonusFor(long eligibleFen)
    {
        var best = 0L;
        var reached = false;
        var bonuses = Document.Earning.ThresholdBonuses;
        for (var i = 0; i < bonuses.Count; i++)
        {
            var bonus = bonuses[i];
            if (eligibleFen >= bonus.MinSpendFen)
            {
                best = reached ? Math.Max(best, bonus.Points) : bonus.Points;
                reached = true;
            }
        }

        return best;
    }

    /// <summary>Multiplier on a line of <paramref name="category"/>: its category multiplier times every active campaign covering it.</summary>
    public decimal LineMultiplier(string category, string storeId, DateOnly date, ICollection<string>? campaignsApplied)
    {
        var multiplier = 1m;
        foreach (var rule in Document.Earning.CategoryMultipliers)
        {
            if (string.Equals(rule.Category, category, StringComparison.Ordinal))
            {
                multiplier *= rule.Multiplier;
            }
        }

        foreach (var campaign in Document.Earning.Campaigns)
        {
            if (date < campaign.From || date > campaign.To
                || (campaign.DaysOfWeek.Count > 0 && !campaign.DaysOfWeek.Contains(date.DayOfWeek))
                || (campaign.StoreIds.Count > 0 && !campaign.StoreIds.Contains(storeId))
                || (campaign.Categories.Count > 0 && !campaign.Categories.Contains(category)))
            {
                continue;
            }

            multiplier *= campaign.Multiplier;
            if (campaignsApplied is not null && !campaignsApplied.Contains(campaign.Id))
            {
                campaignsApplied.Add(campaign.Id);
            }
        }

        return multiplier;
    }

    /// <summary>Whether <paramref name="points"/> is a redemption the program allows: at least the minimum, a multiple of the step.</summary>
    public bool IsRedeemableAmount(long points) => points >= Redemption.MinimumPoints && points % Redemption.StepPoints == 0;

    /// <summary>What <paramref name="points"/> are worth at the till, in fen (tiered value when the program has it).</summary>
    public long RedemptionValueFen(long points)
    {
        var perUnit = Redemption.PointsPerUnit;
        foreach (var band in Redemption.TieredValue)
        {
            if (points >= band.MinPoints)
            {
                perUnit = band.PointsPerUnit;
            }
        }

        return checked(points * FenPerUnit) / perUnit;
    }

    /// <summary>
    /// The most points (a valid redemption: at least the minimum, a multiple of the step) that
    /// <paramref name="availablePoints"/> allow and whose value stays within the program's share of
    /// a basket of <paramref name="basketFen"/> (null: no basket limit). 0 when no valid redemption fits.
    /// </summary>
    public long MaxRedeemablePoints(long availablePoints, long? basketFen)
    {
        var step = Redemption.StepPoints;
        long low = 0, high = Math.Max(0, availablePoints) / step;
        var limitFen = basketFen is { } basket ? basket * Redemption.MaxBasketSharePercent / 100 : long.MaxValue;
        while (low < high)
        {
            var mid = low + ((high - low + 1) / 2);
            if (RedemptionValueFen(mid * step) <= limitFen)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        var points = low * step;
        return IsRedeemableAmount(points) ? points : 0;
    }

    /// <summary>Largest value points may pay of a basket, in fen.</summary>
    public long MaxRedemptionValueFen(long basketFen) => basketFen * Redemption.MaxBasketSharePercent / 100;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Document.Name} v{Version}");
}
