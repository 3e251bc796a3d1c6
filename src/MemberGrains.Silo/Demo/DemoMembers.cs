using System.Globalization;
using MemberGrains.Domain;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using MemberGrains.Grains;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.Silo.Demo;

/// <summary>
/// Seeds a few members to try the store screen with on a fresh development database: a new member,
/// one at risk of churning, a Platinum one, a baby-formula buyer, one without personalisation
/// consent, and one in their birthday week two referrals short of the referral reward.
/// <para>
/// Each member's history is played through the domain (<see cref="MemberAccount"/>) at instants
/// before the members' clock's now, with the published program, and the sweeper's touches at the
/// instants it would have made them (<see cref="MemberAccount.NextDueAt"/>); the state, ledger rows,
/// events and offer uses are committed through the member store as one write per member. Offers
/// with a campaign budget are decided with <see cref="UnlimitedOfferBudget"/>: their uses are
/// recorded without taking budget units (no lease), so the demo members never spend a campaign.
/// </para>
/// <para>
/// Seeds only a database whose members are all demo members (none yet on a fresh start), and
/// only the demo members it lacks, under a Postgres advisory lock: a restart, or several silos
/// starting at once, never seed twice.
/// </para>
/// </summary>
public sealed partial class DemoMembers(
    IMemberStore store,
    NpgsqlDataSource dataSource,
    IProgramCatalog programs,
    AccountLimits limits,
    MemberClock clock,
    ILogger<DemoMembers> logger) : IHostedService
{
    /// <summary>The store the demo members shop at (their home store).</summary>
    public const string StoreId = "S001";

    private const string TerminalId = "T01";
    private const long SeedLockKey = 0x4D475F44454D4F53; // "MG_DEMOS"

    /// <summary>The demo members, in the order they are seeded.</summary>
    public static IReadOnlyList<DemoMember> Members { get; } =
    [
        new("DEMO0001", "new member, enrolled yesterday, no purchase yet", "first-order offer (spend 100 save 20, spend 200 save 50)"),
        new("DEMO0002", "at risk: a regular buyer, silent for 36 days", "win-back coupon in the wallet (20 off 100) and double points"),
        new("DEMO0003", "Platinum: about 54,000 CNY in the last 12 months", "Platinum tier, 20% discount and perks, 10% more off promoted lines"),
        new("DEMO0004", "baby-formula buyer: 2 cans every 14 days, last 12 days ago", "baby formula and diapers reminders, tag 'Baby-formula parent', buy 6 cans get a bath set"),
        new("DEMO0005", "the same habits as DEMO0004, no personalisation consent", "generic offers only: no reminders, no tags"),
        new("DEMO0006", "birthday today, two referrals", "birthday coupon (30 off 150) and birthday-week double points; a third referral adds a 20 CNY coupon"),
    ];

    /// <summary>The demo members this start seeded.</summary>
    public IReadOnlyList<DemoMember> Seeded { get; private set; } = [];

    /// <summary>The demo members the database holds after this start's seeding step (seeded now or before).</summary>
    public IReadOnlyList<DemoMember> Present { get; private set; } = [];

    /// <summary>
    /// Seeds the demo members a database without other members lacks; returns those seeded now.
    /// Several callers at once (silos starting together) take turns on an advisory lock.
    /// </summary>
    public async Task<IReadOnlyList<DemoMember>> SeedAsync(CancellationToken cancellationToken = default)
    {
        var ids = Members.Select(m => m.MemberId).ToArray();
        // A session lock, not a transaction one: the member store commits on its own connections.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_lock({SeedLockKey})", connection))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var present = await PresentAsync(connection, ids, cancellationToken).ConfigureAwait(false);
            if (await OthersExistAsync(connection, ids, cancellationToken).ConfigureAwait(false))
            {
                LogNotEmpty(logger);
                Present = [.. Members.Where(m => present.Contains(m.MemberId))];
                return Seeded = [];
            }

            var now = clock.UtcNow;
            var seeded = new List<DemoMember>();
            foreach (var member in Members)
            {
                if (present.Contains(member.MemberId))
                {
                    continue;
                }

                MemberAccount account;
                try
                {
                    account = Build(member.MemberId, programs, limits, now);
                }
                catch (DomainException e)
                {
                    // Another program than the default one may refuse a history (fewer referrals
                    // allowed, say): that member is left out, the start goes on.
                    LogRefused(logger, member.MemberId, e.Message);
                    continue;
                }

                var uses = Rows(account.DrainOfferUses());
                var write = MemberWrite.Create(account, new MemberParts(), 0, now, uses);
                try
                {
                    await store.CommitAsync(write, cancellationToken).ConfigureAwait(false);
                }
                catch (MemberWriteConflictException)
                {
                    // Enrolled meanwhile by someone else (a till, not a silo: they take the lock).
                    continue;
                }

                LogSeeded(logger, member.MemberId, member.Who, member.Shows);
                seeded.Add(member);
            }

            Present = [.. Members.Where(m => present.Contains(m.MemberId) || seeded.Contains(m))];
            return Seeded = seeded;
        }
        finally
        {
            // Pooled connections are not reset when returned: unlock explicitly.
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({SeedLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The demo member <paramref name="memberId"/> as of <paramref name="now"/>: their history played
    /// through the domain, undrained (ledger rows, events and offer uses still pending).
    /// </summary>
    public static MemberAccount Build(string memberId, IProgramCatalog programs, AccountLimits limits, DateTimeOffset now)
    {
        var rules = programs.Current;
        var today = rules.LocalDate(now);
        // Store-local days before today, at a store-local hour.
        DateTimeOffset Day(int daysAgo, double hour) => rules.StartOf(today.AddDays(-daysAgo)).AddHours(hour);

        switch (memberId)
        {
            case "DEMO0001":
                return History.Enroll(memberId, Day(1, 10), programs, limits, birthday: null, consent: true).Finish(now);

            case "DEMO0002":
            {
                // A regular buyer (five purchases in the five weeks up to the last one: churn risk
                // needs four in 90 days), then silence: the sweeper raised churn risk 30 days after
                // the last purchase, which issued the win-back coupon (valid 14 days); now at risk.
                var history = History.Enroll(memberId, Day(130, 11), programs, limits, birthday: null, consent: true);
                foreach (var daysAgo in new[] { 125, 100, 75, 70, 60, 50, 43, 36 })
                {
                    history.Buy(Day(daysAgo, 18.5), Line("SKU-RICE-5KG", "grocery", 1, 6990), Line("SKU-APPLES", "fresh food", 2, 3580), Line("SKU-TISSUE", "household", 1, 4590));
                }

                return history.Finish(now);
            }

            case "DEMO0003":
            {
                // 4,500 CNY every 25 days (so no calendar month goes without a purchase: gold's
                // monthly upkeep is always met); the twelfth, 5 days ago, crossed 50,000.
                var history = History.Enroll(memberId, Day(300, 15), programs, limits, birthday: null, consent: true);
                for (var daysAgo = 280; daysAgo >= 5; daysAgo -= 25)
                {
                    history.Buy(Day(daysAgo, 16), Line("SKU-TV-65", "electronics", 1, 329900), Line("SKU-WINE-CASE", "wine", 1, 98000), Line("SKU-GIFT-BOX", "fresh food", 1, 22100));
                }

                return history.Finish(now);
            }

            case "DEMO0004":
            case "DEMO0005":
            {
                // Two cans of formula every 14 days, diapers with the last three: both due in 2 days.
                var history = History.Enroll(memberId, Day(100, 9), programs, limits, birthday: null, consent: memberId == "DEMO0004");
                foreach (var daysAgo in new[] { 68, 54 })
                {
                    history.Buy(Day(daysAgo, 19), Line("SKU-FORMULA-900G", "baby formula", 2, 39600));
                }

                foreach (var daysAgo in new[] { 40, 26, 12 })
                {
                    history.Buy(Day(daysAgo, 19), Line("SKU-FORMULA-900G", "baby formula", 2, 39600), Line("SKU-DIAPERS-L", "diapers", 1, 12900));
                }

                return history.Finish(now);
            }

            case "DEMO0006":
            {
                // Born on today's date: the sweeper started the birthday week on Monday, which issued
                // the birthday coupon. Two referrals: the program's referral coupon comes with the third.
                var birthday = Birthday(today);
                var history = History.Enroll(memberId, Day(90, 12), programs, limits, birthday, consent: true);
                history.Buy(Day(45, 17), Line("SKU-COFFEE", "grocery", 2, 11800), Line("SKU-DETERGENT-3L", "detergent", 1, 5990));
                history.Buy(Day(22, 17), Line("SKU-COFFEE", "grocery", 1, 5900), Line("SKU-BREAD", "fresh food", 2, 2400));
                history.Refer(Day(20, 20), "friend-1");
                history.Refer(Day(9, 20), "friend-2");
                return history.Finish(now);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(memberId), memberId, "Not a demo member.");
        }
    }

    /// <summary>The demo members present, for the start-up banner (null when there are none).</summary>
    public string? Banner(Uri? screenPage)
    {
        if (Present.Count == 0)
        {
            return null;
        }

        var where = screenPage is null ? "the store screen" : new Uri(screenPage, $"?store={StoreId}&lang=en").ToString();
        if (Seeded.Count == 0)
        {
            // Seeded on an earlier start: "yesterday" and "12 days ago" have moved on since.
            return $"Demo members to scan or type on {where}: {string.Join(", ", Present.Select(m => m.MemberId))} (seeded on an earlier start; README, \"Demo members\").";
        }

        var text = new System.Text.StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Demo members, seeded now, to scan or type on {where}:");
        foreach (var member in Present)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {member.MemberId}  {member.Who}: {member.Shows}");
        }

        return text.ToString().TrimEnd();
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => SeedAsync(cancellationToken);

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static PurchaseLine Line(string sku, string category, int quantity, long amountFen) => new(sku, category, quantity, amountFen);

    /// <summary>Today's month and day in 1990 (29 February: 1992).</summary>
    private static DateOnly Birthday(DateOnly today) =>
        today is { Month: 2, Day: 29 } ? new DateOnly(1992, 2, 29) : new DateOnly(1990, today.Month, today.Day);

    /// <summary>
    /// The store's rows for the uses. No budget was taken (the demo decides with
    /// <see cref="UnlimitedOfferBudget"/>), so no row names a lease or counts budget units; one row
    /// per request, offer and direction, as the store keeps them.
    /// </summary>
    private static List<OfferUseRow> Rows(IReadOnlyList<OfferUse> uses) =>
    [
        .. uses
            .GroupBy(u => (u.RequestId, u.OfferId, u.GiveBack))
            .Select(g => new OfferUseRow
            {
                OfferId = g.Key.OfferId,
                RequestId = g.Key.RequestId,
                LeaseId = null,
                Amount = 0,
                DiscountFen = Math.Abs(g.Sum(u => u.DiscountFen)),
                BonusPoints = Math.Abs(g.Sum(u => u.BonusPoints)),
                GiveBack = g.Key.GiveBack,
                OccurredAt = g.Min(u => u.At),
            }),
    ];

    private static async Task<HashSet<string>> PresentAsync(NpgsqlConnection connection, string[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT member_id FROM member WHERE member_id = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var present = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            present.Add(reader.GetString(0));
        }

        return present;
    }

    private static async Task<bool> OthersExistAsync(NpgsqlConnection connection, string[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM member WHERE NOT (member_id = ANY($1)))", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = ids });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo member {MemberId} ({Who}): the store screen shows {Shows}")]
    private static partial void LogSeeded(ILogger logger, string memberId, string who, string shows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo member {MemberId} not seeded: the published program refuses its history ({Reason})")]
    private static partial void LogRefused(ILogger logger, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "No demo members seeded: the database already has other members")]
    private static partial void LogNotEmpty(ILogger logger);

    /// <summary>
    /// A member's past replayed in time order: each operation at its instant, and before it every
    /// touch the sweeper would have made since the previous one (expiry, tier reviews, notices,
    /// churn risk and the coupons they issue).
    /// </summary>
    private sealed class History
    {
        private readonly MemberAccount _account;
        private readonly string _memberId;
        private DateTimeOffset _at;
        private int _requests;

        private History(MemberAccount account, DateTimeOffset at)
        {
            _account = account;
            _memberId = account.State.MemberId;
            _at = at;
        }

        public static History Enroll(string memberId, DateTimeOffset at, IProgramCatalog programs, AccountLimits limits, DateOnly? birthday, bool consent)
        {
            var command = new EnrollCommand(memberId, $"{memberId}-enrol", birthday, StoreId, MarketingConsent: consent, PersonalisationConsent: consent);
            return new History(MemberAccount.Enroll(command, programs, limits, at).Account, at);
        }

        public void Buy(DateTimeOffset at, params PurchaseLine[] lines)
        {
            var total = lines.Sum(l => l.AmountFen);
            CatchUp(at);
            _account.Accrue(new AccrueCommand(NextRequest("p"), StoreId, TerminalId, total, lines), at, UnlimitedOfferBudget.Instance);
            _at = at;
        }

        public void Refer(DateTimeOffset at, string friend)
        {
            CatchUp(at);
            _account.RecordActivity(new ActivityCommand(NextRequest("a"), StoreId, TerminalId, "referral", friend), at, UnlimitedOfferBudget.Instance);
            _at = at;
        }

        /// <summary>Brought up to <paramref name="now"/> as the sweeper and a touch at now would.</summary>
        public MemberAccount Finish(DateTimeOffset now)
        {
            CatchUp(now);
            _account.Touch(now, UnlimitedOfferBudget.Instance);
            return _account;
        }

        private void CatchUp(DateTimeOffset until)
        {
            if (until < _at)
            {
                throw new InvalidOperationException($"Demo member {_memberId}: a step at {until:O} comes after one at {_at:O}; a history runs forwards.");
            }

            // NextDueAt is strictly after the instant it is asked at, so each touch moves on.
            while (_account.NextDueAt(_at) is { } due && due <= until)
            {
                _account.Touch(due, UnlimitedOfferBudget.Instance);
                _at = due;
            }
        }

        private string NextRequest(string kind) =>
            string.Create(CultureInfo.InvariantCulture, $"{_memberId}-{kind}{++_requests:00}");
    }
}
