using System.Security;
using System.Text.RegularExpressions;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// The rule pass: checks the numbers and lists of a parsed program against each other and against
/// what the rule code can run. It tolerates nulls (a program built in code may have them) and never
/// throws. Paths are built from the record property names so they follow renames.
/// </summary>
internal static partial class ValidationSemantics
{
    /// <summary>The only document format so far.</summary>
    public const int Schema = 1;

    public const int MaxPendingDays = 365;
    public const int MaxHoldSeconds = 86_400;
    public const int MaxExpiryMonths = 120;
    public const int MaxExpiringSoonDays = 365;
    public const int MaxQualifyingMonths = 36;
    public const int MaxInactiveMonths = 120;
    public const int MaxRfmWindowMonths = 36;
    public const int RfmBreakpoints = 4;
    public const int MinScore = 1;
    public const int MaxScore = 5;

    public static void Check(LoyaltyProgram? program, ValidationReport report)
    {
        var root = ValidationPath.Root;
        if (program is null)
        {
            report.Add(root, $"The program document is null; send the whole program as one JSON object.");
            return;
        }

        CheckHeader(program, report);

        if (report.Present(root.Member(nameof(LoyaltyProgram.Earning)), program.Earning))
        {
            CheckEarning(program.Earning, root.Member(nameof(LoyaltyProgram.Earning)), report);
        }

        CheckActivities(program.Activities, root.Member(nameof(LoyaltyProgram.Activities)), report);

        if (report.Present(root.Member(nameof(LoyaltyProgram.Redemption)), program.Redemption))
        {
            CheckRedemption(program.Redemption, root.Member(nameof(LoyaltyProgram.Redemption)), report);
        }

        if (report.Present(root.Member(nameof(LoyaltyProgram.Expiry)), program.Expiry))
        {
            CheckExpiry(program.Expiry, root.Member(nameof(LoyaltyProgram.Expiry)), report);
        }

        if (program.Offline is { } offline)
        {
            var path = root.Member(nameof(LoyaltyProgram.Offline));
            report.Between(path.Member(nameof(OfflineRules.MaxAgeHours)), offline.MaxAgeHours, 0, 168, "hours", why: "request ids other than purchases are remembered for 7 days, so an older retry could count twice.");
            report.Between(path.Member(nameof(OfflineRules.MaxAheadSeconds)), offline.MaxAheadSeconds, 0, 3600, "seconds", why: "a till clock an hour ahead is wrong, not offline.");
        }

        if (report.Present(root.Member(nameof(LoyaltyProgram.Refunds)), program.Refunds))
        {
            report.Defined(root.Member(nameof(LoyaltyProgram.Refunds)).Member(nameof(RefundRules.WhenPointsSpent)), program.Refunds.WhenPointsSpent);
        }

        if (report.Present(root.Member(nameof(LoyaltyProgram.Tiers)), program.Tiers))
        {
            CheckTiers(program.Tiers, root.Member(nameof(LoyaltyProgram.Tiers)), report);
        }

        if (report.Present(root.Member(nameof(LoyaltyProgram.Rfm)), program.Rfm))
        {
            CheckRfm(program.Rfm, root.Member(nameof(LoyaltyProgram.Rfm)), report);
        }

        CheckSegments(program, report);

        if (report.Present(root.Member(nameof(LoyaltyProgram.Lifecycle)), program.Lifecycle))
        {
            CheckLifecycle(program.Lifecycle, root.Member(nameof(LoyaltyProgram.Lifecycle)), report);
        }

        if (report.Present(root.Member(nameof(LoyaltyProgram.Risk)), program.Risk))
        {
            CheckRisk(program.Risk, root.Member(nameof(LoyaltyProgram.Risk)), report);
        }

        report.Present(root.Member(nameof(LoyaltyProgram.Notices)), program.Notices);

        var categories = CheckCategories(program.Categories, root.Member(nameof(LoyaltyProgram.Categories)), report);
        CheckOffers(program, categories, report);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,31}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ActivityKindPattern();

    private static void CheckHeader(LoyaltyProgram program, ValidationReport report)
    {
        var root = ValidationPath.Root;
        var schema = root.Member(nameof(LoyaltyProgram.Schema));
        if (program.Schema != Schema)
        {
            report.Add(schema, $"{schema} is {program.Schema}; this version of MemberGrains reads schema {Schema} only.");
        }

        var name = root.Member(nameof(LoyaltyProgram.Name));
        if (report.Present(name, program.Name) && string.IsNullOrWhiteSpace(program.Name))
        {
            report.Add(name, $"{name} is empty; give the program a name operators will recognise.");
        }

        var currency = root.Member(nameof(LoyaltyProgram.Currency));
        if (report.Present(currency, program.Currency) && !IsCurrencyCode(program.Currency))
        {
            report.Add(currency, $"{currency} is {Quote(program.Currency)}; it must be an ISO 4217 code of three capital letters, such as CNY.");
        }

        var timeZone = root.Member(nameof(LoyaltyProgram.TimeZone));
        if (report.Present(timeZone, program.TimeZone) && !IsKnownTimeZone(program.TimeZone))
        {
            report.Add(timeZone, $"{timeZone} is {Quote(program.TimeZone)}, which is not a time zone this server knows; use an IANA zone name such as Asia/Shanghai.");
        }
    }

    private static void CheckEarning(EarningRules earning, ValidationPath path, ValidationReport report)
    {
        report.AtLeast(path.Member(nameof(EarningRules.EnrollmentBonus)), earning.EnrollmentBonus, 0, "points");

        var brackets = path.Member(nameof(EarningRules.Brackets));
        if (report.Present(brackets, earning.Brackets))
        {
            if (earning.Brackets.Count == 0)
            {
                report.Add(brackets, $"{brackets} is empty; it needs at least one bracket, and the first must start at 0 so every basket has a rate.");
            }

            RateBracket? previous = null;
            for (var i = 0; i < earning.Brackets.Count; i++)
            {
                var item = brackets.Item(i);
                if (!report.Present(item, earning.Brackets[i]))
                {
                    previous = null;
                    continue;
                }

                var bracket = earning.Brackets[i];
                var min = item.Member(nameof(RateBracket.MinSpendFen));
                if (i == 0 && bracket.MinSpendFen != 0)
                {
                    report.Add(min, $"{min} is {bracket.MinSpendFen}; the first bracket must start at 0 so every basket has a rate.");
                }
                else if (i > 0 && previous is not null && bracket.MinSpendFen <= previous.MinSpendFen)
                {
                    var previousMin = brackets.Item(i - 1).Member(nameof(RateBracket.MinSpendFen));
                    report.Add(min, $"{min} is {bracket.MinSpendFen} but must be greater than {previousMin} ({previous.MinSpendFen}): list brackets from the smallest basket up, each starting higher than the one before.", previousMin);
                }

                report.AtLeast(item.Member(nameof(RateBracket.PointsPerUnit)), bracket.PointsPerUnit, 0m, "points per unit", "A rate can't be negative; 0 makes the bracket earn nothing.");
                previous = bracket;
            }
        }

        var bonuses = path.Member(nameof(EarningRules.ThresholdBonuses));
        if (report.Present(bonuses, earning.ThresholdBonuses))
        {
            var seen = new Dictionary<long, int>();
            for (var i = 0; i < earning.ThresholdBonuses.Count; i++)
            {
                var item = bonuses.Item(i);
                if (!report.Present(item, earning.ThresholdBonuses[i]))
                {
                    continue;
                }

                var bonus = earning.ThresholdBonuses[i];
                var min = item.Member(nameof(ThresholdBonus.MinSpendFen));
                report.Positive(min, bonus.MinSpendFen, "A bonus from 0 would be paid on every purchase; give the basket amount (in fen) that earns it.");
                report.Positive(item.Member(nameof(ThresholdBonus.Points)), bonus.Points);
                if (seen.TryGetValue(bonus.MinSpendFen, out var first))
                {
                    var firstMin = bonuses.Item(first).Member(nameof(ThresholdBonus.MinSpendFen));
                    report.Add(min, $"{min} repeats {bonus.MinSpendFen}, already used by {firstMin}; give each bonus its own amount.", firstMin);
                }
                else
                {
                    seen[bonus.MinSpendFen] = i;
                }
            }
        }

        var birthday = path.Member(nameof(EarningRules.Birthday));
        if (report.Present(birthday, earning.Birthday))
        {
            report.AtLeast(birthday.Member(nameof(BirthdayRule.Multiplier)), earning.Birthday.Multiplier, 1m, why: "1 turns the birthday bonus off; less than 1 would cut a member's points in their birthday period.");
            report.Defined(birthday.Member(nameof(BirthdayRule.Period)), earning.Birthday.Period);
        }

        var categories = path.Member(nameof(EarningRules.CategoryMultipliers));
        if (report.Present(categories, earning.CategoryMultipliers))
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < earning.CategoryMultipliers.Count; i++)
            {
                var item = categories.Item(i);
                if (!report.Present(item, earning.CategoryMultipliers[i]))
                {
                    continue;
                }

                var rule = earning.CategoryMultipliers[i];
                var category = item.Member(nameof(CategoryMultiplier.Category));
                if (report.Present(category, rule.Category))
                {
                    Unique(report, categories, category, i, rule.Category, seen, nameof(CategoryMultiplier.Category), "category");
                }

                report.AtLeast(item.Member(nameof(CategoryMultiplier.Multiplier)), rule.Multiplier, 0m, why: "0 makes the category earn nothing; a multiplier can't be negative.");
            }
        }

        var campaigns = path.Member(nameof(EarningRules.Campaigns));
        if (report.Present(campaigns, earning.Campaigns))
        {
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < earning.Campaigns.Count; i++)
            {
                var item = campaigns.Item(i);
                if (report.Present(item, earning.Campaigns[i]))
                {
                    CheckCampaign(earning.Campaigns[i], campaigns, i, seen, report);
                }
            }
        }

        report.AtLeast(path.Member(nameof(EarningRules.DailyCapFen)), earning.DailyCapFen, 0, "fen", "0 means no cap.");
        report.Between(path.Member(nameof(EarningRules.PendingDays)), earning.PendingDays, 0, MaxPendingDays, "days");
    }

    private static void CheckCampaign(Campaign campaign, ValidationPath campaigns, int index, Dictionary<string, int> seenIds, ValidationReport report)
    {
        var item = campaigns.Item(index);
        var id = item.Member(nameof(Campaign.Id));
        if (report.Present(id, campaign.Id))
        {
            Unique(report, campaigns, id, index, campaign.Id, seenIds, nameof(Campaign.Id), "id");
        }

        report.Positive(item.Member(nameof(Campaign.Multiplier)), campaign.Multiplier, "To stop a campaign, end it or remove it.");

        var from = item.Member(nameof(Campaign.From));
        var to = item.Member(nameof(Campaign.To));
        if (campaign.To < campaign.From)
        {
            report.Add(to, $"{to} is {campaign.To:yyyy-MM-dd}, before {from} ({campaign.From:yyyy-MM-dd}); a campaign must end on or after the day it starts (both days count).", from);
        }

        var days = item.Member(nameof(Campaign.DaysOfWeek));
        if (report.Present(days, campaign.DaysOfWeek))
        {
            var seen = new Dictionary<DayOfWeek, int>();
            for (var d = 0; d < campaign.DaysOfWeek.Count; d++)
            {
                var day = days.Item(d);
                report.Defined(day, campaign.DaysOfWeek[d]);
                if (seen.TryGetValue(campaign.DaysOfWeek[d], out var first))
                {
                    report.Add(day, $"{day} repeats {ValidationStructure.EnumName(campaign.DaysOfWeek[d])}, already listed at {days.Item(first)}; list each day once.", days.Item(first));
                }
                else
                {
                    seen[campaign.DaysOfWeek[d]] = d;
                }
            }
        }

        NonEmptyEntries(report, item.Member(nameof(Campaign.StoreIds)), campaign.StoreIds, "store id");
        NonEmptyEntries(report, item.Member(nameof(Campaign.Categories)), campaign.Categories, "category");
    }

    private static void CheckActivities(IReadOnlyList<ActivityRule>? activities, ValidationPath path, ValidationReport report)
    {
        if (!report.Present(path, activities))
        {
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < activities.Count; i++)
        {
            var item = path.Item(i);
            if (!report.Present(item, activities[i]))
            {
                continue;
            }

            var activity = activities[i];
            var kind = item.Member(nameof(ActivityRule.Kind));
            if (report.Present(kind, activity.Kind))
            {
                if (!ActivityKindPattern().IsMatch(activity.Kind))
                {
                    report.Add(kind, $"{kind} is {Quote(activity.Kind)}; a kind is 1 to 32 lower-case letters, digits or underscores starting with a letter, such as check_in.");
                }
                else if (seen.TryGetValue(activity.Kind, out var first))
                {
                    var firstKind = path.Item(first).Member(nameof(ActivityRule.Kind));
                    report.Add(kind, $"{kind} repeats {Quote(activity.Kind)}, already used by {firstKind}; each kind can appear once.", firstKind);
                }
                else
                {
                    seen[activity.Kind] = i;
                }
            }

            report.Positive(item.Member(nameof(ActivityRule.Points)), activity.Points, "To stop rewarding an activity, remove it.");
            report.AtLeast(item.Member(nameof(ActivityRule.MaxPerDay)), activity.MaxPerDay, 0, why: "0 means no daily limit.");
            report.AtLeast(item.Member(nameof(ActivityRule.MaxPerMember)), activity.MaxPerMember, 0, why: "0 means no lifetime limit.");
        }
    }

    private static void CheckRedemption(RedemptionRules redemption, ValidationPath path, ValidationReport report)
    {
        report.Positive(path.Member(nameof(RedemptionRules.PointsPerUnit)), redemption.PointsPerUnit, "It is how many points are worth one currency unit.");

        var minimum = path.Member(nameof(RedemptionRules.MinimumPoints));
        var step = path.Member(nameof(RedemptionRules.StepPoints));
        report.Positive(minimum, redemption.MinimumPoints);
        report.Positive(step, redemption.StepPoints, "Use 1 to allow any whole number of points.");
        if (redemption.MinimumPoints > 0 && redemption.StepPoints > 0 && redemption.MinimumPoints % redemption.StepPoints != 0)
        {
            report.Add(minimum, $"{minimum} is {redemption.MinimumPoints}, which is not a multiple of {step} ({redemption.StepPoints}); make it one, so the smallest redemption a till can make is the minimum itself.", step);
        }

        report.Between(path.Member(nameof(RedemptionRules.MaxBasketSharePercent)), redemption.MaxBasketSharePercent, 1, 100, "percent");

        var bands = path.Member(nameof(RedemptionRules.TieredValue));
        if (report.Present(bands, redemption.TieredValue))
        {
            RedemptionBand? previous = null;
            for (var i = 0; i < redemption.TieredValue.Count; i++)
            {
                var item = bands.Item(i);
                if (!report.Present(item, redemption.TieredValue[i]))
                {
                    previous = null;
                    continue;
                }

                var band = redemption.TieredValue[i];
                var min = item.Member(nameof(RedemptionBand.MinPoints));
                if (previous is not null && band.MinPoints <= previous.MinPoints)
                {
                    var previousMin = bands.Item(i - 1).Member(nameof(RedemptionBand.MinPoints));
                    report.Add(min, $"{min} is {band.MinPoints} but must be greater than {previousMin} ({previous.MinPoints}): list bands from the smallest redemption up.", previousMin);
                }
                else if (band.MinPoints < redemption.MinimumPoints)
                {
                    report.Add(min, $"{min} is {band.MinPoints}, below {minimum} ({redemption.MinimumPoints}); no redemption that small is allowed, so start the band at the minimum or above.", minimum);
                }

                var perUnit = item.Member(nameof(RedemptionBand.PointsPerUnit));
                report.Positive(perUnit, band.PointsPerUnit, "It is how many points are worth one currency unit in this band.");

                // More points must never be worth less: the till's search for the largest redemption that fits a basket relies on it.
                var (worsePath, worse) = previous is null
                    ? (path.Member(nameof(RedemptionRules.PointsPerUnit)), redemption.PointsPerUnit)
                    : (bands.Item(i - 1).Member(nameof(RedemptionBand.PointsPerUnit)), previous.PointsPerUnit);
                if (worse > 0 && band.PointsPerUnit > worse)
                {
                    report.Add(perUnit, $"{perUnit} is {band.PointsPerUnit}, more than {worsePath} ({worse}), so a larger redemption would be worth less per point; use {worse} or fewer points per unit.", worsePath);
                }

                previous = band;
            }
        }

        var maxHold = path.Member(nameof(RedemptionRules.MaxHoldSeconds));
        var defaultHold = path.Member(nameof(RedemptionRules.DefaultHoldSeconds));
        report.Between(maxHold, redemption.MaxHoldSeconds, 1, MaxHoldSeconds, "seconds", "A hold longer than a day would keep points locked after the till has gone.");
        if (redemption.DefaultHoldSeconds < 1)
        {
            report.Add(defaultHold, $"{defaultHold} is {redemption.DefaultHoldSeconds}; it must be at least 1 second.");
        }
        else if (redemption.MaxHoldSeconds is >= 1 and <= MaxHoldSeconds && redemption.DefaultHoldSeconds > redemption.MaxHoldSeconds)
        {
            report.Add(defaultHold, $"{defaultHold} is {redemption.DefaultHoldSeconds}, longer than {maxHold} ({redemption.MaxHoldSeconds}); the default hold must be between 1 second and the longest hold allowed.", maxHold);
        }
    }

    private static void CheckExpiry(ExpiryRules expiry, ValidationPath path, ValidationReport report)
    {
        var mode = path.Member(nameof(ExpiryRules.Mode));
        report.Defined(mode, expiry.Mode);
        if (expiry.Mode == ExpiryMode.RollingMonths)
        {
            var months = path.Member(nameof(ExpiryRules.Months));
            if (expiry.Months is < 1 or > MaxExpiryMonths)
            {
                report.Add(months, $"{months} is {expiry.Months}; with {mode} rollingMonths it must be between 1 and {MaxExpiryMonths} months.", mode);
            }
        }

        report.Between(path.Member(nameof(ExpiryRules.ExpiringSoonDays)), expiry.ExpiringSoonDays, 0, MaxExpiringSoonDays, "days");
    }

    private static void CheckTiers(TierRules tiers, ValidationPath path, ValidationReport report)
    {
        report.Between(path.Member(nameof(TierRules.QualifyingMonths)), tiers.QualifyingMonths, 1, MaxQualifyingMonths, "months");

        var levels = path.Member(nameof(TierRules.Levels));
        if (report.Present(levels, tiers.Levels))
        {
            CheckLevels(tiers.Levels, levels, report);
        }

        var maintenance = path.Member(nameof(TierRules.Maintenance));
        if (report.Present(maintenance, tiers.Maintenance))
        {
            var seen = new Dictionary<Tier, int>();
            for (var i = 0; i < tiers.Maintenance.Count; i++)
            {
                var item = maintenance.Item(i);
                if (!report.Present(item, tiers.Maintenance[i]))
                {
                    continue;
                }

                var rule = tiers.Maintenance[i];
                var tier = item.Member(nameof(TierMaintenance.Tier));
                report.Defined(tier, rule.Tier);
                if (tiers.Levels is { } known && !known.Any(l => l is not null && l.Tier == rule.Tier))
                {
                    report.Add(tier, $"{tier} is {ValidationStructure.EnumName(rule.Tier)}, which is not a tier in {levels}; a rule can only keep a tier the program has.", levels);
                }

                if (seen.TryGetValue(rule.Tier, out var first))
                {
                    var firstTier = maintenance.Item(first).Member(nameof(TierMaintenance.Tier));
                    report.Add(tier, $"{tier} repeats {ValidationStructure.EnumName(rule.Tier)}, already kept by {firstTier}; give each tier one rule.", firstTier);
                }
                else
                {
                    seen[rule.Tier] = i;
                }

                report.Positive(item.Member(nameof(TierMaintenance.MinMonthlySpendFen)), rule.MinMonthlySpendFen, "To drop the requirement, remove the rule.");
            }
        }

        report.Between(path.Member(nameof(TierRules.InactiveMonthsToLowest)), tiers.InactiveMonthsToLowest, 0, MaxInactiveMonths, "months", "0 means inactivity never drops a tier.");
    }

    private static void CheckLevels(IReadOnlyList<TierLevel> levels, ValidationPath path, ValidationReport report)
    {
        if (levels.Count == 0)
        {
            report.Add(path, $"{path} is empty; the program needs at least one tier, and the lowest must start at 0.");
            return;
        }

        var seen = new Dictionary<Tier, int>();
        for (var i = 0; i < levels.Count; i++)
        {
            var item = path.Item(i);
            if (!report.Present(item, levels[i]))
            {
                continue;
            }

            var level = levels[i];
            var previous = i > 0 ? levels[i - 1] : null;
            var previousPath = path.Item(i - 1);
            var isLast = i == levels.Count - 1;

            var tier = item.Member(nameof(TierLevel.Tier));
            report.Defined(tier, level.Tier);
            if (seen.TryGetValue(level.Tier, out var first))
            {
                var firstTier = path.Item(first).Member(nameof(TierLevel.Tier));
                report.Add(tier, $"{tier} repeats {ValidationStructure.EnumName(level.Tier)}, already used by {firstTier}; each tier can appear once.", firstTier);
            }
            else
            {
                seen[level.Tier] = i;
                if (previous is not null && level.Tier < previous.Tier)
                {
                    var previousTier = previousPath.Member(nameof(TierLevel.Tier));
                    report.Add(tier, $"{tier} is {ValidationStructure.EnumName(level.Tier)} but comes after {ValidationStructure.EnumName(previous.Tier)} ({previousTier}); list tiers from lowest to highest.", previousTier);
                }
            }

            var min = item.Member(nameof(TierLevel.MinSpendFen));
            var max = item.Member(nameof(TierLevel.MaxSpendFen));
            if (i == 0 && level.MinSpendFen != 0)
            {
                report.Add(min, $"{min} is {level.MinSpendFen}; the lowest tier must start at 0 so every member has a tier.");
            }

            if (isLast && level.MaxSpendFen is { } top)
            {
                report.Add(max, $"{max} is {top}, but the highest tier has no upper end; remove maxSpendFen from it.");
            }
            else if (!isLast && level.MaxSpendFen is null)
            {
                report.Add(max, $"{max} is missing; every tier but the highest needs the spend (in fen) where it ends, and the next tier starts 1 fen above it.");
            }
            else if (level.MaxSpendFen is { } end && end < level.MinSpendFen)
            {
                report.Add(max, $"{max} is {end}, below {min} ({level.MinSpendFen}); a tier must end at or after the spend where it starts.", min);
            }

            if (previous is not null)
            {
                CheckContiguous(previous, previousPath, level, item, report);
            }

            report.AtLeast(item.Member(nameof(TierLevel.EarnMultiplier)), level.EarnMultiplier, 0m, why: "1 leaves rate points unchanged.");
            report.Between(item.Member(nameof(TierLevel.DiscountPercent)), level.DiscountPercent, 0m, 100m, "percent");
            NonEmptyEntries(report, item.Member(nameof(TierLevel.Perks)), level.Perks, "perk");
        }
    }

    /// <summary>The level after <paramref name="previous"/> must start exactly 1 fen above where it ends.</summary>
    private static void CheckContiguous(TierLevel previous, ValidationPath previousPath, TierLevel level, ValidationPath path, ValidationReport report)
    {
        // A missing or inverted end is reported on the previous level itself; there is no range to compare with.
        if (previous.MaxSpendFen is not { } end || end < previous.MinSpendFen)
        {
            return;
        }

        var min = path.Member(nameof(TierLevel.MinSpendFen));
        var previousMax = previousPath.Member(nameof(TierLevel.MaxSpendFen));
        if (end == long.MaxValue || level.MinSpendFen <= end)
        {
            report.Add(min, $"{path} starts at {level.MinSpendFen} but {previousPath} ends at {end}: the ranges overlap. Start {path} at {(end == long.MaxValue ? end : end + 1)} or end {previousPath} lower.", previousMax);
        }
        else if (level.MinSpendFen > end + 1)
        {
            report.Add(min, $"{path} starts at {level.MinSpendFen} but {previousPath} ends at {end}: the spend from {end + 1} to {level.MinSpendFen - 1} fen belongs to no tier. Start {path} at {end + 1} or end {previousPath} at {level.MinSpendFen - 1}.", previousMax);
        }
    }

    private static void CheckRfm(RfmRules rfm, ValidationPath path, ValidationReport report)
    {
        report.Between(path.Member(nameof(RfmRules.WindowMonths)), rfm.WindowMonths, 1, MaxRfmWindowMonths, "months");
        Breakpoints(report, path.Member(nameof(RfmRules.RecencyDays)), rfm.RecencyDays, 1, "days since the last purchase");
        Breakpoints(report, path.Member(nameof(RfmRules.FrequencyPurchases)), rfm.FrequencyPurchases, 1, "purchases");
        Breakpoints(report, path.Member(nameof(RfmRules.MonetaryFen)), rfm.MonetaryFen, 0L, "fen");
    }

    private static void Breakpoints<T>(ValidationReport report, ValidationPath path, IReadOnlyList<T>? values, T min, string unit)
        where T : System.Numerics.INumber<T>
    {
        if (!report.Present(path, values))
        {
            return;
        }

        if (values.Count != RfmBreakpoints)
        {
            report.Add(path, $"{path} has {values.Count} values; it needs exactly {RfmBreakpoints}, in ascending order, to split the scores 1 to 5.");
        }

        for (var i = 0; i < values.Count; i++)
        {
            var item = path.Item(i);
            report.AtLeast(item, values[i], min, unit);
            if (i > 0 && values[i] <= values[i - 1])
            {
                var previous = path.Item(i - 1);
                report.Add(item, $"{item} is {values[i]} but must be greater than {previous} ({values[i - 1]}); breakpoints go strictly up.", previous);
            }
        }
    }

    private static void CheckSegments(LoyaltyProgram program, ValidationReport report)
    {
        var root = ValidationPath.Root;
        var segments = root.Member(nameof(LoyaltyProgram.Segments));
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        if (report.Present(segments, program.Segments))
        {
            for (var i = 0; i < program.Segments.Count; i++)
            {
                var item = segments.Item(i);
                if (report.Present(item, program.Segments[i]))
                {
                    CheckSegment(program.Segments[i], segments, i, names, report);
                }
            }
        }

        var fallback = root.Member(nameof(LoyaltyProgram.DefaultSegment));
        if (!report.Present(fallback, program.DefaultSegment))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(program.DefaultSegment))
        {
            report.Add(fallback, $"{fallback} is empty; name the segment of members no segment rule matches (for example \"other\").");
        }
        else if (names.TryGetValue(program.DefaultSegment, out var clash))
        {
            var clashName = segments.Item(clash).Member(nameof(SegmentRule.Name));
            report.Add(fallback, $"{fallback} is {Quote(program.DefaultSegment)}, also the name of {segments.Item(clash)}; give the fallback a name of its own so reports can tell the two apart.", clashName);
        }
    }

    private static void CheckSegment(SegmentRule segment, ValidationPath segments, int index, Dictionary<string, int> names, ValidationReport report)
    {
        var item = segments.Item(index);
        var name = item.Member(nameof(SegmentRule.Name));
        if (report.Present(name, segment.Name))
        {
            Unique(report, segments, name, index, segment.Name, names, nameof(SegmentRule.Name), "name");
        }

        Scores(report, item, nameof(SegmentRule.MinRecency), segment.MinRecency, nameof(SegmentRule.MaxRecency), segment.MaxRecency);
        Scores(report, item, nameof(SegmentRule.MinFrequency), segment.MinFrequency, nameof(SegmentRule.MaxFrequency), segment.MaxFrequency);
        Scores(report, item, nameof(SegmentRule.MinMonetary), segment.MinMonetary, nameof(SegmentRule.MaxMonetary), segment.MaxMonetary);

        if (segment.MaxDaysSinceFirstPurchase is { } days)
        {
            report.AtLeast(item.Member(nameof(SegmentRule.MaxDaysSinceFirstPurchase)), days, 0, "days");
        }

        if (segment is { MinRecency: null, MaxRecency: null, MinFrequency: null, MaxFrequency: null, MinMonetary: null, MaxMonetary: null, MaxDaysSinceFirstPurchase: null })
        {
            report.Add(item, $"{item} has no conditions, so every member with purchases matches it and no later segment or defaultSegment is ever reached; give it at least one condition.");
        }
    }

    private static void Scores(ValidationReport report, ValidationPath segment, string minName, int? min, string maxName, int? max)
    {
        var minPath = segment.Member(minName);
        var maxPath = segment.Member(maxName);
        if (min is { } low)
        {
            report.Between(minPath, low, MinScore, MaxScore, why: "RFM scores run from 1 to 5.");
        }

        if (max is { } high)
        {
            report.Between(maxPath, high, MinScore, MaxScore, why: "RFM scores run from 1 to 5.");
        }

        if (min is { } from && max is { } to && from > to)
        {
            report.Add(minPath, $"{minPath} ({from}) is above {maxPath} ({to}), so no member can match; make the minimum at most the maximum.", maxPath);
        }
    }

    private static void CheckLifecycle(LifecycleRules lifecycle, ValidationPath path, ValidationReport report)
    {
        report.AtLeast(path.Member(nameof(LifecycleRules.NewDays)), lifecycle.NewDays, 1, "days");
        report.AtLeast(path.Member(nameof(LifecycleRules.NewMaxPurchases)), lifecycle.NewMaxPurchases, 1, "purchases");
        report.Between(path.Member(nameof(LifecycleRules.LoyalMinScore)), lifecycle.LoyalMinScore, MinScore, MaxScore, why: "RFM scores run from 1 to 5.");

        var atRisk = path.Member(nameof(LifecycleRules.AtRiskAfterDays));
        var churned = path.Member(nameof(LifecycleRules.ChurnedAfterDays));
        report.AtLeast(atRisk, lifecycle.AtRiskAfterDays, 1, "days");
        report.AtLeast(churned, lifecycle.ChurnedAfterDays, 1, "days");
        if (lifecycle.AtRiskAfterDays >= 1 && lifecycle.ChurnedAfterDays >= 1 && lifecycle.ChurnedAfterDays <= lifecycle.AtRiskAfterDays)
        {
            report.Add(churned, $"{churned} is {lifecycle.ChurnedAfterDays} but must be greater than {atRisk} ({lifecycle.AtRiskAfterDays}): a silent member is at risk first and churned later.", atRisk);
        }
    }

    private static void CheckRisk(RiskRules risk, ValidationPath path, ValidationReport report)
    {
        var churn = path.Member(nameof(RiskRules.ChurnRisk));
        if (report.Present(churn, risk.ChurnRisk))
        {
            report.Positive(churn.Member(nameof(ChurnRiskRule.SilentDays)), risk.ChurnRisk.SilentDays);
            report.Positive(churn.Member(nameof(ChurnRiskRule.MinPurchases)), risk.ChurnRisk.MinPurchases);
            report.Positive(churn.Member(nameof(ChurnRiskRule.LookbackDays)), risk.ChurnRisk.LookbackDays);
            report.Defined(churn.Member(nameof(ChurnRiskRule.OnRedemption)), risk.ChurnRisk.OnRedemption);
        }

        var cap = path.Member(nameof(RiskRules.DailyCap));
        if (report.Present(cap, risk.DailyCap))
        {
            report.Positive(cap.Member(nameof(FlagRule.FlagHours)), risk.DailyCap.FlagHours);
            report.Defined(cap.Member(nameof(FlagRule.OnRedemption)), risk.DailyCap.OnRedemption);
        }

        var velocity = path.Member(nameof(RiskRules.Velocity));
        if (report.Present(velocity, risk.Velocity))
        {
            report.Positive(velocity.Member(nameof(VelocityRule.MaxPurchases)), risk.Velocity.MaxPurchases);
            report.Positive(velocity.Member(nameof(VelocityRule.WindowMinutes)), risk.Velocity.WindowMinutes);
            report.Positive(velocity.Member(nameof(VelocityRule.FlagHours)), risk.Velocity.FlagHours);
            report.Defined(velocity.Member(nameof(VelocityRule.OnRedemption)), risk.Velocity.OnRedemption);
        }

        var refunds = path.Member(nameof(RiskRules.RefundAbuse));
        if (report.Present(refunds, risk.RefundAbuse))
        {
            report.Between(refunds.Member(nameof(RefundAbuseRule.MaxRefundedPercent)), risk.RefundAbuse.MaxRefundedPercent, 0m, 100m, "percent");
            report.Positive(refunds.Member(nameof(RefundAbuseRule.MinPurchases)), risk.RefundAbuse.MinPurchases);
            report.Defined(refunds.Member(nameof(RefundAbuseRule.OnRedemption)), risk.RefundAbuse.OnRedemption);
        }

        var dormant = path.Member(nameof(RiskRules.DormantRedemption));
        if (report.Present(dormant, risk.DormantRedemption))
        {
            report.Positive(dormant.Member(nameof(DormantRedemptionRule.DormantDays)), risk.DormantRedemption.DormantDays);
            report.AtLeast(dormant.Member(nameof(DormantRedemptionRule.MinPoints)), risk.DormantRedemption.MinPoints, 0, "points");
            report.Defined(dormant.Member(nameof(DormantRedemptionRule.OnRedemption)), risk.DormantRedemption.OnRedemption);
        }

        var newMember = path.Member(nameof(RiskRules.NewMemberRedemption));
        if (report.Present(newMember, risk.NewMemberRedemption))
        {
            report.Positive(newMember.Member(nameof(NewMemberRedemptionRule.WithinHours)), risk.NewMemberRedemption.WithinHours);
            report.AtLeast(newMember.Member(nameof(NewMemberRedemptionRule.MinPoints)), risk.NewMemberRedemption.MinPoints, 0, "points");
            report.Defined(newMember.Member(nameof(NewMemberRedemptionRule.OnRedemption)), risk.NewMemberRedemption.OnRedemption);
        }

        var promotion = path.Member(nameof(RiskRules.PromotionOnly));
        if (report.Present(promotion, risk.PromotionOnly))
        {
            report.Positive(promotion.Member(nameof(PromotionOnlyRule.MinPurchases)), risk.PromotionOnly.MinPurchases);
            report.Between(promotion.Member(nameof(PromotionOnlyRule.MinPromotionPercent)), risk.PromotionOnly.MinPromotionPercent, 0m, 100m, "percent");
            report.Defined(promotion.Member(nameof(PromotionOnlyRule.OnRedemption)), risk.PromotionOnly.OnRedemption);
        }
    }

    /// <summary>Reports an empty <paramref name="value"/>, or one an earlier entry of <paramref name="list"/> already has.</summary>
    private static void Unique(ValidationReport report, ValidationPath list, ValidationPath path, int index, string value, Dictionary<string, int> seen, string member, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            report.Add(path, $"{path} is empty; every entry needs {Article(what)} {what}.");
        }
        else if (Validate.TextProblem(value, Validate.MaxIdLength) is { } problem)
        {
            report.Add(path, $"{path} {problem}: no till could send this {what}.");
        }
        else if (seen.TryGetValue(value, out var first))
        {
            var firstPath = list.Item(first).Member(member);
            report.Add(path, $"{path} repeats {Quote(value)}, already used by {firstPath}; each {what} can appear once.", firstPath);
        }
        else
        {
            seen[value] = index;
        }
    }

    /// <summary>Reports missing lists and empty entries in lists of names (store ids, categories, perks).</summary>
    private static void NonEmptyEntries(ValidationReport report, ValidationPath path, IReadOnlyList<string>? values, string what)
    {
        if (!report.Present(path, values))
        {
            return;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(values[i]))
            {
                report.Add(path.Item(i), $"{path.Item(i)} is empty; give {Article(what)} {what} or remove the entry.");
            }
            else if (Validate.TextProblem(values[i], Validate.MaxIdLength) is { } problem)
            {
                var why = what == "perk" ? "a perk is shown to members as it is written" : $"no till could send this {what}";
                report.Add(path.Item(i), $"{path.Item(i)} {problem}: {why}.");
            }
        }
    }

    private static string Quote(string text) => ValidationStructure.Quote(text);

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static bool IsCurrencyCode(string code) => code.Length == 3 && code.All(char.IsAsciiLetterUpper);

    private static bool IsKnownTimeZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or SecurityException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
