using System.Globalization;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>
/// One member's points account: the rules of every POS mutation over a <see cref="MemberState"/>,
/// decided by the active program of a <see cref="IProgramCatalog"/>. Each operation validates
/// everything and checks its preconditions first, then changes the state; a
/// <see cref="DomainException"/> therefore always leaves the state untouched. Ledger rows and
/// events produced by the changes are collected until drained.
/// </summary>
public sealed partial class MemberAccount
{
    private readonly List<LedgerEntry> _pendingLedger = [];
    private readonly List<MemberEvent> _pendingEvents = [];

    public MemberAccount(MemberState state, IProgramCatalog programs, AccountLimits limits)
    {
        State = state;
        Programs = programs;
        Limits = limits;
    }

    public MemberState State { get; }

    /// <summary>The published programs; the active one decides the next operations.</summary>
    public IProgramCatalog Programs { get; }

    /// <summary>The program deciding now.</summary>
    public ProgramRules Rules => Programs.Current;

    public AccountLimits Limits { get; }

    /// <summary>Checks an enrolment request.</summary>
    public static void ValidateEnroll(EnrollCommand command, DateTimeOffset now)
    {
        Validate.MemberId("member_id", command.MemberId);
        Validate.Id("request_id", command.RequestId);
        Validate.OptionalId("home_store_id", command.HomeStoreId);
        if (command.Birthday is { } birthday)
        {
            if (birthday.Year < 1900 || birthday > DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)))
            {
                throw DomainException.Invalid("birthday", "birthday must be a date between 1900 and today.");
            }
        }
    }

    /// <summary>Creates the account of a new member, with the enrolment bonus.</summary>
    public static (MemberAccount Account, Receipt Receipt) Enroll(EnrollCommand command, IProgramCatalog programs, AccountLimits limits, DateTimeOffset now)
    {
        ValidateEnroll(command, now);
        var rules = programs.Current;
        var state = new MemberState
        {
            MemberId = command.MemberId,
            EnrolledAt = now,
            Birthday = command.Birthday,
            HomeStoreId = string.IsNullOrEmpty(command.HomeStoreId) ? null : command.HomeStoreId,
            MarketingConsent = command.MarketingConsent,
            PersonalisationConsent = command.PersonalisationConsent,
            Tier = rules.LowestTier,
            TierReviewedMonth = rules.LocalMonth(now),
        };
        var account = new MemberAccount(state, programs, limits);
        var store = command.HomeStoreId ?? string.Empty;
        var bonus = rules.Earning.EnrollmentBonus;
        if (bonus > 0)
        {
            account.AddLot(bonus, now, command.RequestId, now, store, string.Empty, LedgerKind.Enrollment);
        }

        account.Raise(EventKinds.Enrolled, now, ("store_id", store), ("points", Text(bonus)));
        var receipt = account.ReceiptFor(command.RequestId, OperationKind.Enroll, bonus, now);
        account.Remember(command.RequestId, Fingerprint.Of(command), receipt);
        return (account, receipt);
    }

    /// <summary>
    /// Answers an enrolment request for a member that already exists: the first answer when it is
    /// a retry of the enrolment, otherwise ALREADY_EXISTS.
    /// </summary>
    public Receipt ReplayEnroll(EnrollCommand command, DateTimeOffset now)
    {
        ValidateEnroll(command, now);
        return Replay(command.RequestId, Fingerprint.Of(command), now)
            ?? throw DomainException.Exists("member_id", $"Member '{command.MemberId}' is already enrolled.");
    }

    /// <summary>Earns points on a completed purchase and applies its offers, with the account's <see cref="OfferBudget"/>.</summary>
    public Outcome Accrue(AccrueCommand command, DateTimeOffset now) => Accrue(command, now, OfferBudget);

    /// <summary>
    /// Earns points on a completed purchase and applies its offers: discounts, bonus points (their own
    /// ledger rows), gifts, coupons used and issued. Each use counts against the member's limits once
    /// (a retry is answered from memory); <paramref name="budget"/> is taken only after every check passed.
    /// The purchase earns on what was paid: the basket less the offers' discounts.
    /// </summary>
    public Outcome Accrue(AccrueCommand command, DateTimeOffset now, IOfferBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        ValidateBasket(command.TotalFen, command.Lines);
        ValidateCoupons(command.CouponIds);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var rules = Rules;
        // Every time-based rule (daily cap, birthday, campaigns, offers, expiry, month) applies at the
        // purchase's time; the member is first brought up to now.
        var at = OccurredAt(rules, command.OccurredAt, now);
        _ = checked(State.LifetimeSpendFen + command.TotalFen); // the sums below can't fail once budgets are taken
        _callBudget = budget;
        _couponsIssued = null;
        try
        {
            Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
            var day = rules.LocalDate(at);
            var headroom = CapHeadroom(rules, day);
            var tierBefore = State.Tier;
            var offers = RunOffers(rules, command.StoreId, command.TotalFen, command.Lines, command.CouponIds, at, tierBefore, headroom, budget, take: true, listUnpresented: false);
            var earning = offers.Earning;
            var paid = command.TotalFen - offers.DiscountFen;
            var availableAt = at + TimeSpan.FromDays(rules.Earning.PendingDays);
            if (earning.Points > 0)
            {
                AddLot(earning.Points, at, command.RequestId, availableAt, command.StoreId, command.TerminalId, LedgerKind.Earn);
            }

            var issued = new Dictionary<OfferCandidate, string>();
            var booked = BookOffers(rules, offers, command, at, now, availableAt, issued);

            if (rules.Earning.DailyCapFen > 0)
            {
                CountAgainstCap(day, earning.EligibleFen);
                if (earning.CapReached)
                {
                    RaiseFlag(RiskCodes.DailyCapReached, now, rules.Risk.DailyCap.FlagHours, $"Daily cap of {Money(rules.Earning.DailyCapFen)} reached on {day:yyyy-MM-dd}.");
                }
            }

            RecordPurchase(rules, command, paid, at);
            var firstPurchase = State.FirstPurchaseAt is null;
            State.FirstPurchaseAt = State.FirstPurchaseAt is { } first && first < at ? first : at;
            State.LastPurchaseAt = State.LastPurchaseAt is { } last && last > at ? last : at;
            State.PurchaseCount++;
            State.LifetimeSpendFen += paid;
            if (firstPurchase)
            {
                Raise(EventKinds.FirstPurchase, at, ("request_id", command.RequestId), ("store_id", command.StoreId), ("total_fen", Text(command.TotalFen)));
            }

            // Upgrade at once to the tier the qualifying spend reaches. A member a monthly review dropped
            // still has the spend of the tier they lost: any small purchase would lift them straight back
            // and the upkeep rule would mean nothing, so they go up only when a purchase crosses a minimum.
            var qualifying = QualifyingSpend(rules, now);
            var reached = rules.TierFor(qualifying);
            if (reached > State.Tier && (!State.TierLostInReview || reached > rules.TierFor(qualifying - paid)))
            {
                ChangeTier(reached, now, "upgrade");
                State.TierLostInReview = false;
            }

            var presentedRefused = offers.Decisions.Where(d => d.CouponId is not null).ToList();
            var receipt = ReceiptFor(command.RequestId, OperationKind.Accrue, earning.Points + offers.BonusPoints, now) with
            {
                Earning = earning,
                OccurredAt = command.OccurredAt,
                Offers = booked.Count == 0 ? null : Applied(offers, issued),
                DiscountFen = offers.DiscountFen,
                CashDueAfterDiscountsFen = paid,
                OfferDecisions = presentedRefused.Count == 0 ? null : presentedRefused,
                CouponsIssued = _couponsIssued,
            };
            State.Purchases[command.RequestId] = new PurchaseRecord
            {
                RequestId = command.RequestId,
                StoreId = command.StoreId,
                TerminalId = command.TerminalId,
                At = at,
                TotalFen = command.TotalFen,
                DiscountFen = offers.DiscountFen,
                PointsEarned = earning.Points,
                ProgramVersion = rules.Version,
                Lines = [.. command.Lines],
                Offers = booked,
                Tier = tierBefore,
                CapHeadroomFen = headroom,
                Fingerprint = fingerprint,
                Receipt = receipt,
            };
            return new Outcome(receipt, false);
        }
        finally
        {
            _callBudget = null;
            _couponsIssued = null;
        }
    }

    /// <summary>Sets points aside for a redemption at a till; the program's risk rules may send it for review or decline it.</summary>
    public Outcome Reserve(ReserveCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        var rules = Rules;
        ValidateRedemptionPoints(rules, command.Points);
        var holdFor = command.HoldFor ?? rules.DefaultHoldTtl;
        if (holdFor < TimeSpan.FromSeconds(1) || holdFor > rules.MaxHoldTtl)
        {
            throw DomainException.Invalid("hold_seconds", $"hold_seconds must be 0 (the program default of {(long)rules.DefaultHoldTtl.TotalSeconds}) or between 1 and {(long)rules.MaxHoldTtl.TotalSeconds}.");
        }

        var value = rules.RedemptionValueFen(command.Points);
        ValidateBasketShare(rules, command.BasketFen, value);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var available = AvailableAt(now);
        if (command.Points > available)
        {
            var pending = PendingAt(now);
            var why = pending > 0 ? $" ({pending} more are pending until the return window ends)" : string.Empty;
            throw DomainException.Precondition("points", $"Not enough points: {available} available{why}, {command.Points} requested.");
        }

        var (decision, reasons) = Decide(rules, command.Points, now);
        if (decision == RedemptionDecision.Decline)
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "points", $"The redemption is declined by the program's risk rules: {string.Join(", ", reasons)}.")
            {
                Reason = DomainException.RedemptionDeclined,
                Reasons = reasons,
            };
        }

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        var hold = new RedemptionHold
        {
            HoldId = HoldId(State.MemberId, ++State.HoldSeq),
            RequestId = command.RequestId,
            Points = command.Points,
            CreatedAt = now,
            ExpiresAt = now + holdFor,
            Status = HoldStatus.Open,
            StoreId = command.StoreId,
            TerminalId = command.TerminalId,
            ValueFen = value,
            ReviewReasons = decision == RedemptionDecision.Review ? [.. reasons] : [],
        };
        State.Holds[hold.HoldId] = hold;
        var receipt = ReceiptFor(command.RequestId, OperationKind.Reserve, hold.Points, now) with
        {
            HoldId = hold.HoldId,
            HoldExpiresAt = hold.ExpiresAt,
            Decision = decision,
            Reasons = reasons.Count == 0 ? null : reasons,
            ValueFen = value,
        };
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>Spends a hold's points (all of them, or fewer and the rest go back).</summary>
    public Outcome Capture(CaptureCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.Id("hold_id", command.HoldId);
        Validate.ZeroOrPositive("points", command.Points, Limits.MaxRedemptionPoints);
        Validate.OptionalId("approved_by", command.ApprovedBy);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var hold = OpenHold(command.HoldId, now, "captured");
        var points = command.Points == 0 ? hold.Points : command.Points;
        if (points > hold.Points)
        {
            throw DomainException.InvalidForState("points", $"points ({points}) exceed the {hold.Points} points held by {hold.HoldId}.");
        }

        if (points != hold.Points)
        {
            // A partial capture is itself a redemption: it must be a valid amount under the program.
            ValidateRedemptionPoints(Rules, points);
        }

        if (hold.ReviewReasons.Count > 0 && string.IsNullOrEmpty(command.ApprovedBy))
        {
            throw new DomainException(ErrorKind.FailedPrecondition, "approved_by", $"Hold '{hold.HoldId}' was sent for review ({string.Join(", ", hold.ReviewReasons)}): a staff member must approve it (approved_by).")
            {
                Reasons = hold.ReviewReasons,
            };
        }

        // The hold was made against redeemable points; a refund since may have taken some of them,
        // and pending points (still inside their return window) must not stand in for them.
        var redeemable = BalanceAt(now) - PendingAt(now);
        if (points > redeemable)
        {
            throw DomainException.Precondition("points", $"Not enough points: {redeemable} redeemable after expiry, refunds and pending points, {points} to capture.");
        }

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        hold.Status = HoldStatus.Captured;
        hold.ClosedAt = now;
        hold.ApprovedBy = string.IsNullOrEmpty(command.ApprovedBy) ? null : command.ApprovedBy;
        SpendOldestFirst(points, now);
        Record(LedgerKind.Redeem, -points, command.RequestId, command.StoreId, command.TerminalId, now);
        State.LastRedemptionAt = now;
        var value = points == hold.Points ? hold.ValueFen : Rules.RedemptionValueFen(points);
        var receipt = ReceiptFor(command.RequestId, OperationKind.Capture, points, now) with { HoldId = hold.HoldId, ValueFen = value };
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>Gives a hold's points back. Releasing a hold that already lapsed or was released succeeds.</summary>
    public Outcome Release(ReleaseCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.Id("hold_id", command.HoldId);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        if (!State.Holds.TryGetValue(command.HoldId, out var hold))
        {
            throw DomainException.NotFound("hold_id", $"No hold '{command.HoldId}' for this member.");
        }

        if (hold.Status == HoldStatus.Captured)
        {
            throw DomainException.Precondition("hold_id", $"Hold '{hold.HoldId}' was already captured; refund the purchase instead.");
        }

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        var released = hold.Status == HoldStatus.Open ? hold.Points : 0;
        if (hold.Status == HoldStatus.Open)
        {
            hold.Status = HoldStatus.Released;
            hold.ClosedAt = now;
        }

        var receipt = ReceiptFor(command.RequestId, OperationKind.Release, released, now) with { HoldId = hold.HoldId };
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>
    /// Refunds (part of) a purchase and takes back exactly the points the refunded part earned:
    /// what the purchase earned at its previous net amount minus what it earns at the new one,
    /// both computed with the program, tier and daily-cap room the purchase had. Points already
    /// spent are handled by the program's refund policy.
    /// </summary>
    public Outcome Refund(RefundCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.Id("original_request_id", command.OriginalRequestId);
        Validate.ZeroOrPositive("amount_fen", command.AmountFen, Limits.MaxAmountFen);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var at = OccurredAt(Rules, command.OccurredAt, now);
        if (!State.Purchases.TryGetValue(command.OriginalRequestId, out var purchase) || Limits.ForgetAt(purchase) <= at)
        {
            throw DomainException.NotFound("original_request_id", $"No refundable purchase '{command.OriginalRequestId}' for this member.");
        }

        if (at < purchase.At)
        {
            throw DomainException.InvalidForState("occurred_at", $"occurred_at ({at:O}) is before the purchase it refunds ({purchase.At:O}).");
        }

        var refundable = purchase.PaidFen - purchase.RefundedFen;
        if (refundable <= 0)
        {
            throw DomainException.Precondition("original_request_id", $"Purchase '{purchase.RequestId}' is already fully refunded.");
        }

        var amount = command.AmountFen == 0 ? refundable : command.AmountFen;
        if (amount > refundable)
        {
            throw DomainException.Precondition("amount_fen", $"amount_fen ({amount}) exceeds what is left to refund of '{purchase.RequestId}' ({refundable}).");
        }

        var earnedUnder = Programs.Find(purchase.ProgramVersion) ?? Rules;
        var earnedBefore = EarnedBy(earnedUnder, purchase, refundable);
        var earnedAfter = EarnedBy(earnedUnder, purchase, refundable - amount);
        var takeBack = Math.Clamp((earnedBefore?.Points ?? 0) - (earnedAfter?.Points ?? 0), 0, purchase.PointsEarned - purchase.PointsTakenBack);
        var offerTakeBacks = OfferTakeBacks(purchase, refundable, earnedBefore, refundable - amount, earnedAfter);

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        purchase.RefundedFen += amount;
        purchase.PointsTakenBack += takeBack;
        if (takeBack > 0)
        {
            var taken = ClawBack(takeBack, purchase.RequestId);
            if (taken > 0)
            {
                Record(LedgerKind.RefundClawback, -taken, command.RequestId, command.StoreId, command.TerminalId, at, earnedUnder.Version);
            }
        }

        var offerPoints = GiveBackOffers(purchase, offerTakeBacks, command, at, now, earnedUnder.Version);
        State.LifetimeSpendFen -= amount;
        var bucket = Bucket(Rules.LocalMonth(purchase.At));
        bucket.RefundedFen += amount;
        ReverseUpgrade(purchase, now);
        // The takeback was decided by the program the purchase earned under: say so on the receipt.
        var receipt = ReceiptFor(command.RequestId, OperationKind.Refund, takeBack + offerPoints, now) with { ProgramVersion = earnedUnder.Version, OccurredAt = command.OccurredAt };
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>Earns behaviour points for an activity the program knows, within its daily and lifetime limits, with the account's <see cref="OfferBudget"/>.</summary>
    public Outcome RecordActivity(ActivityCommand command, DateTimeOffset now) => RecordActivity(command, now, OfferBudget);

    /// <summary>
    /// Earns behaviour points for an activity the program knows, within its daily and lifetime limits;
    /// a coupon offer counting the activity issues its coupon when the count reaches its number
    /// (the third referral …), taking from <paramref name="budget"/>.
    /// </summary>
    public Outcome RecordActivity(ActivityCommand command, DateTimeOffset now, IOfferBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.OptionalId("reference", command.Reference);
        var rules = Rules;
        if (string.IsNullOrEmpty(command.Kind) || !rules.Activities.TryGetValue(command.Kind, out var rule))
        {
            throw DomainException.Invalid("kind", $"kind must be one of the program's activities: {string.Join(", ", rules.Activities.Keys)}.");
        }

        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var at = OccurredAt(rules, command.OccurredAt, now);
        var day = rules.LocalDate(at);
        State.Activities.TryGetValue(rule.Kind, out var counter);
        var countThatDay = counter?.CountOn(day) ?? 0;
        if (rule.MaxPerDay > 0 && countThatDay >= rule.MaxPerDay)
        {
            throw DomainException.Precondition("kind", $"'{rule.Kind}' earns points at most {rule.MaxPerDay} time(s) a day; already recorded {countThatDay} time(s) on {day:yyyy-MM-dd}.");
        }

        if (rule.MaxPerMember > 0 && counter is not null && counter.Total >= rule.MaxPerMember)
        {
            throw DomainException.Precondition("kind", $"'{rule.Kind}' earns points at most {rule.MaxPerMember} time(s) per member, and that is used up.");
        }

        _callBudget = budget;
        _couponsIssued = null;
        try
        {
            Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
            counter ??= State.Activities[rule.Kind] = new ActivityCounter();
            counter.Add(day);
            AddLot(rule.Points, at, command.RequestId, at, command.StoreId, command.TerminalId, LedgerKind.Activity);
            var total = counter.Total;
            IssueOnEvent(rules, rules.Offers.ActivityTriggers.Where(o => o.TriggerCount == total && string.Equals(o.TriggerActivity, rule.Kind, StringComparison.Ordinal)), "activity_count", now, command.RequestId);
            var receipt = ReceiptFor(command.RequestId, OperationKind.Activity, rule.Points, now) with { OccurredAt = command.OccurredAt, CouponsIssued = _couponsIssued };
            Remember(command.RequestId, fingerprint, receipt);
            return new Outcome(receipt, false);
        }
        finally
        {
            _callBudget = null;
            _couponsIssued = null;
        }
    }

    /// <summary>
    /// Applies what time has brought (expired points, monthly tier reviews, lapsed flags, notices)
    /// without any request. True when something changed that must be committed.
    /// </summary>
    public bool Touch(DateTimeOffset now)
    {
        // Everything Maintain can change without a ledger row or an event (pruning, a hold that
        // lapsed): a change left uncommitted would make memory differ from Postgres.
        var before = Shape();
        Maintain(now, "maintenance", string.Empty, string.Empty);
        return _pendingLedger.Count > 0 || _pendingEvents.Count > 0 || _pendingOfferUses.Count > 0 || before != Shape();

        (int, Tier, int, int, int, int, int, int, int, int, int) Shape() =>
            (State.Lots.Count, State.Tier, State.TierReviewedMonth, State.Flags.Count, State.Holds.Count, State.Holds.Values.Count(h => h.Status == HoldStatus.Open),
             State.Requests.Count, State.Purchases.Count, State.Months.Count, State.Wallet.Count, State.RecentPurchases.Count);
    }

    /// <summary>As <see cref="Touch(DateTimeOffset)"/>, issuing event coupons (birthday week, churn risk) from <paramref name="budget"/>.</summary>
    public bool Touch(DateTimeOffset now, IOfferBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _callBudget = budget;
        try
        {
            return Touch(now);
        }
        finally
        {
            _callBudget = null;
        }
    }

    /// <summary>Hands over the ledger rows produced since the last call.</summary>
    public IReadOnlyList<LedgerEntry> DrainLedger() => Drain(_pendingLedger);

    /// <summary>Hands over the events raised since the last call.</summary>
    public IReadOnlyList<MemberEvent> DrainEvents() => Drain(_pendingEvents);

    /// <summary>Balance at <paramref name="now"/>: lots that have expired by then no longer count.</summary>
    public long BalanceAt(DateTimeOffset now)
    {
        var expired = 0L;
        foreach (var lot in State.Lots)
        {
            if (lot.ExpiresAt <= now)
            {
                expired += lot.Remaining;
            }
        }

        return State.Balance - expired;
    }

    /// <summary>Points set aside by holds still open at <paramref name="now"/>.</summary>
    public long HeldAt(DateTimeOffset now)
    {
        var held = 0L;
        foreach (var hold in State.Holds.Values)
        {
            if (hold.HoldsAt(now))
            {
                held += hold.Points;
            }
        }

        return held;
    }

    /// <summary>Points earned but not yet redeemable at <paramref name="now"/> (the return window).</summary>
    public long PendingAt(DateTimeOffset now)
    {
        var pending = 0L;
        foreach (var lot in State.Lots)
        {
            if (lot.AvailableAt > now && lot.ExpiresAt > now)
            {
                pending += lot.Remaining;
            }
        }

        return pending;
    }

    /// <summary>Points a till can reserve at <paramref name="now"/>: balance minus open holds and pending points.</summary>
    public long AvailableAt(DateTimeOffset now) => BalanceAt(now) - HeldAt(now) - PendingAt(now);

    /// <summary>
    /// The id of a member's <paramref name="number"/>th hold: the number plus a tag derived from the
    /// member id, so a hold id sent with the wrong member_id does not capture that member's hold.
    /// </summary>
    public static string HoldId(string memberId, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"H{number}-{Fingerprint.Tag(memberId)}");

    private static T[] Drain<T>(List<T> pending)
    {
        if (pending.Count == 0)
        {
            return [];
        }

        var rows = pending.ToArray();
        pending.Clear();
        return rows;
    }

    /// <summary>
    /// The instant time-based rules apply at: the till's <paramref name="given"/> occurred_at (a
    /// checkout held back while the store was offline), or now. Refused outside the program's
    /// offline bounds; a till clock slightly ahead (within them) counts as now.
    /// </summary>
    private static DateTimeOffset OccurredAt(ProgramRules rules, DateTimeOffset? given, DateTimeOffset now)
    {
        if (given is not { } at)
        {
            return now;
        }

        var offline = rules.Offline;
        if (at > now + TimeSpan.FromSeconds(offline.MaxAheadSeconds))
        {
            throw DomainException.Invalid("occurred_at", $"occurred_at ({at:O}) is more than {offline.MaxAheadSeconds} s ahead of the server's clock ({now:O}); check the till's clock.");
        }

        if (at < now - TimeSpan.FromHours(offline.MaxAgeHours))
        {
            throw DomainException.Invalid("occurred_at", $"occurred_at ({at:O}) is more than {offline.MaxAgeHours} hours ago; the program accepts checkouts held back offline for at most {offline.MaxAgeHours} hours.");
        }

        return at > now ? now : at;
    }

    private static void ValidateTill(string requestId, string storeId, string terminalId)
    {
        Validate.Id("request_id", requestId);
        Validate.Id("store_id", storeId);
        Validate.Id("terminal_id", terminalId);
    }

    private void ValidateBasket(long totalFen, IReadOnlyList<PurchaseLine> lines)
    {
        Validate.Positive("total_fen", totalFen, Limits.MaxAmountFen);
        if (lines.Count == 0)
        {
            throw DomainException.Invalid("lines", "A purchase needs at least one line.");
        }

        if (lines.Count > Limits.MaxLines)
        {
            throw DomainException.Invalid("lines", $"A purchase may have at most {Limits.MaxLines} lines.");
        }

        long sum = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            Validate.Id($"lines[{i}].sku", line.Sku);
            Validate.OptionalId($"lines[{i}].category", line.Category);
            if (line.Quantity <= 0 || line.Quantity > Limits.MaxLineQuantity)
            {
                throw DomainException.Invalid($"lines[{i}].quantity", $"lines[{i}].quantity must be between 1 and {Limits.MaxLineQuantity}.");
            }

            if (line.AmountFen < 0 || line.AmountFen > Limits.MaxAmountFen)
            {
                throw DomainException.Invalid($"lines[{i}].amount_fen", $"lines[{i}].amount_fen must be between 0 and {Limits.MaxAmountFen}.");
            }

            sum += line.AmountFen;
        }

        if (sum != totalFen)
        {
            throw DomainException.Invalid("lines", $"The lines add up to {sum} fen but total_fen is {totalFen}.");
        }
    }

    private void ValidateRedemptionPoints(ProgramRules rules, long points)
    {
        Validate.Positive("points", points, Limits.MaxRedemptionPoints);
        var redemption = rules.Redemption;
        if (points < redemption.MinimumPoints)
        {
            throw DomainException.Invalid("points", $"points must be at least {redemption.MinimumPoints} (the program's minimum redemption).");
        }

        if (points % redemption.StepPoints != 0)
        {
            throw DomainException.Invalid("points", $"points must be a multiple of {redemption.StepPoints}.");
        }
    }

    private void ValidateBasketShare(ProgramRules rules, long? basketFen, long valueFen)
    {
        var share = rules.Redemption.MaxBasketSharePercent;
        if (basketFen is null)
        {
            if (share < 100)
            {
                throw DomainException.Invalid("basket_fen", $"basket_fen is required: points may pay at most {share}% of a basket under this program.");
            }

            return;
        }

        Validate.Positive("basket_fen", basketFen.Value, Limits.MaxAmountFen);
        var limit = rules.MaxRedemptionValueFen(basketFen.Value);
        if (valueFen > limit)
        {
            throw DomainException.Invalid("points", $"The points are worth {Money(valueFen)} but may pay at most {share}% of this basket ({Money(limit)}); at most {rules.MaxRedeemablePoints(Limits.MaxRedemptionPoints, basketFen)} points.");
        }
    }

    private RedemptionHold OpenHold(string holdId, DateTimeOffset now, string verb)
    {
        if (!State.Holds.TryGetValue(holdId, out var hold))
        {
            throw DomainException.NotFound("hold_id", $"No hold '{holdId}' for this member.");
        }

        return hold.Status switch
        {
            HoldStatus.Open when hold.HoldsAt(now) => hold,
            HoldStatus.Open or HoldStatus.Expired => throw DomainException.Precondition("hold_id", $"Hold '{holdId}' expired at {hold.ExpiresAt:O} and can't be {verb}."),
            HoldStatus.Released => throw DomainException.Precondition("hold_id", $"Hold '{holdId}' was released and can't be {verb}."),
            _ => throw DomainException.Precondition("hold_id", $"Hold '{holdId}' was already captured."),
        };
    }

    private Receipt? Replay(string requestId, string fingerprint, DateTimeOffset now)
    {
        // Answers past their retention are forgotten even before Maintain sweeps them out.
        string? seen = null;
        Receipt? receipt = null;
        if (State.Requests.TryGetValue(requestId, out var request) && Limits.ForgetAt(request) > now)
        {
            (seen, receipt) = (request.Fingerprint, request.Receipt);
        }
        else if (State.Purchases.TryGetValue(requestId, out var purchase) && Limits.ForgetAt(purchase) > now)
        {
            (seen, receipt) = (purchase.Fingerprint, purchase.Receipt);
        }

        if (seen is null)
        {
            return null;
        }

        return seen == fingerprint
            ? receipt
            : throw DomainException.Exists("request_id", $"request_id '{requestId}' was already used for a different request.");
    }

    private void Remember(string requestId, string fingerprint, Receipt receipt) =>
        State.Requests[requestId] = new ProcessedRequest { RequestId = requestId, Fingerprint = fingerprint, Receipt = receipt, Order = ++State.RequestSeq };

    private Receipt ReceiptFor(string requestId, OperationKind operation, long points, DateTimeOffset now) =>
        new(requestId, operation, points, State.Balance, AvailableAt(now), null, null, Rules.Version, now);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(long fen) => string.Create(CultureInfo.InvariantCulture, $"{fen / 100m:0.00}");
}
