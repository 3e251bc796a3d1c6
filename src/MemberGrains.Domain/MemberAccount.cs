using System.Globalization;

namespace MemberGrains.Domain;

/// <summary>
/// One member's points account: the rules of every POS mutation over a <see cref="MemberState"/>.
/// Each operation validates everything and checks its preconditions first, then changes the
/// state; a <see cref="DomainException"/> therefore always leaves the state untouched.
/// Ledger rows produced by the changes are collected until <see cref="DrainLedger"/>.
/// </summary>
public sealed class MemberAccount
{
    private readonly List<LedgerEntry> _pending = [];

    public MemberAccount(MemberState state, ILoyaltyRules rules, AccountLimits limits)
    {
        State = state;
        Rules = rules;
        Limits = limits;
    }

    public MemberState State { get; }

    /// <summary>The program deciding the next operations.</summary>
    public ILoyaltyRules Rules { get; set; }

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
    public static (MemberAccount Account, Receipt Receipt) Enroll(EnrollCommand command, ILoyaltyRules rules, AccountLimits limits, DateTimeOffset now)
    {
        ValidateEnroll(command, now);
        var state = new MemberState
        {
            MemberId = command.MemberId,
            EnrolledAt = now,
            Birthday = command.Birthday,
            HomeStoreId = string.IsNullOrEmpty(command.HomeStoreId) ? null : command.HomeStoreId,
            MarketingConsent = command.MarketingConsent,
            PersonalisationConsent = command.PersonalisationConsent,
            Tier = rules.TierFor(0),
        };
        var account = new MemberAccount(state, rules, limits);
        var store = command.HomeStoreId ?? string.Empty;
        if (rules.EnrollmentBonus > 0)
        {
            account.AddLot(rules.EnrollmentBonus, now, command.RequestId);
            account.Record(LedgerKind.Enrollment, rules.EnrollmentBonus, command.RequestId, store, string.Empty, now);
        }

        var receipt = account.ReceiptFor(command.RequestId, OperationKind.Enroll, rules.EnrollmentBonus, null, null, now);
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

    /// <summary>Earns points on a completed purchase.</summary>
    public Outcome Accrue(AccrueCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.Positive("total_fen", command.TotalFen, Limits.MaxAmountFen);
        ValidateLines(command);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        var points = checked(Rules.PointsForSpend(command.TotalFen));
        if (points > 0)
        {
            AddLot(points, now, command.RequestId);
            Record(LedgerKind.Earn, points, command.RequestId, command.StoreId, command.TerminalId, now);
        }

        State.LifetimeSpendFen = checked(State.LifetimeSpendFen + command.TotalFen);
        State.QualifyingSpendFen = checked(State.QualifyingSpendFen + command.TotalFen);
        State.Tier = Rules.TierFor(State.QualifyingSpendFen);
        State.FirstPurchaseAt ??= now;
        State.LastPurchaseAt = now;
        State.PurchaseCount++;

        var receipt = ReceiptFor(command.RequestId, OperationKind.Accrue, points, null, null, now);
        State.Purchases[command.RequestId] = new PurchaseRecord
        {
            RequestId = command.RequestId,
            StoreId = command.StoreId,
            TerminalId = command.TerminalId,
            At = now,
            TotalFen = command.TotalFen,
            PointsEarned = points,
            Fingerprint = fingerprint,
            Receipt = receipt,
        };
        return new Outcome(receipt, false);
    }

    /// <summary>Sets points aside for a redemption at a till.</summary>
    public Outcome Reserve(ReserveCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.Positive("points", command.Points, Limits.MaxRedemptionPoints);
        if (command.Points < Rules.MinimumRedemptionPoints)
        {
            throw DomainException.Invalid("points", $"points must be at least {Rules.MinimumRedemptionPoints}.");
        }

        if (command.Points % Rules.RedemptionStep != 0)
        {
            throw DomainException.Invalid("points", $"points must be a multiple of {Rules.RedemptionStep}.");
        }

        var holdFor = command.HoldFor ?? Rules.DefaultHoldTtl;
        if (holdFor < TimeSpan.FromSeconds(1) || holdFor > Rules.MaxHoldTtl)
        {
            throw DomainException.Invalid("hold_seconds", $"hold_seconds must be 0 (the program default of {(long)Rules.DefaultHoldTtl.TotalSeconds}) or between 1 and {(long)Rules.MaxHoldTtl.TotalSeconds}.");
        }

        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var available = AvailableAt(now);
        if (command.Points > available)
        {
            throw DomainException.Precondition("points", $"Not enough points: {available} available, {command.Points} requested.");
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
        };
        State.Holds[hold.HoldId] = hold;
        var receipt = ReceiptFor(command.RequestId, OperationKind.Reserve, hold.Points, hold.HoldId, hold.ExpiresAt, now);
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>Spends a hold's points (all of them, or fewer and the rest go back).</summary>
    public Outcome Capture(CaptureCommand command, DateTimeOffset now)
    {
        ValidateTill(command.RequestId, command.StoreId, command.TerminalId);
        Validate.Id("hold_id", command.HoldId);
        Validate.ZeroOrPositive("points", command.Points, Limits.MaxRedemptionPoints);
        var fingerprint = Fingerprint.Of(command);
        if (Replay(command.RequestId, fingerprint, now) is { } replay)
        {
            return new Outcome(replay, true);
        }

        var hold = OpenHold(command.HoldId, now, "captured");
        var points = command.Points == 0 ? hold.Points : command.Points;
        if (points > hold.Points)
        {
            throw DomainException.Invalid("points", $"points ({points}) exceed the {hold.Points} points held by {hold.HoldId}.");
        }

        var balance = BalanceAt(now);
        if (points > balance)
        {
            throw DomainException.Precondition("points", $"Not enough points: the balance is {balance} after expiry and refunds, {points} to capture.");
        }

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        hold.Status = HoldStatus.Captured;
        hold.ClosedAt = now;
        SpendOldestFirst(points);
        Record(LedgerKind.Redeem, -points, command.RequestId, command.StoreId, command.TerminalId, now);
        var receipt = ReceiptFor(command.RequestId, OperationKind.Capture, points, hold.HoldId, null, now);
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

        var receipt = ReceiptFor(command.RequestId, OperationKind.Release, released, hold.HoldId, null, now);
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>
    /// Refunds (part of) a purchase and takes back exactly the points the refunded part earned:
    /// what the purchase earned at its previous net amount minus what it earns at the new one.
    /// Points already spent are taken as debt (the balance goes negative) and paid off by later earnings.
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

        if (!State.Purchases.TryGetValue(command.OriginalRequestId, out var purchase) || purchase.At + Limits.PurchaseRetention <= now)
        {
            throw DomainException.NotFound("original_request_id", $"No refundable purchase '{command.OriginalRequestId}' for this member.");
        }

        var refundable = purchase.TotalFen - purchase.RefundedFen;
        if (refundable == 0)
        {
            throw DomainException.Precondition("original_request_id", $"Purchase '{purchase.RequestId}' is already fully refunded.");
        }

        var amount = command.AmountFen == 0 ? refundable : command.AmountFen;
        if (amount > refundable)
        {
            throw DomainException.Precondition("amount_fen", $"amount_fen ({amount}) exceeds what is left to refund of '{purchase.RequestId}' ({refundable}).");
        }

        var earnedBefore = Rules.PointsForSpend(refundable);
        var earnedAfter = Rules.PointsForSpend(refundable - amount);
        var takeBack = Math.Clamp(earnedBefore - earnedAfter, 0, purchase.PointsEarned - purchase.PointsTakenBack);

        Maintain(now, command.RequestId, command.StoreId, command.TerminalId);
        purchase.RefundedFen += amount;
        purchase.PointsTakenBack += takeBack;
        if (takeBack > 0)
        {
            ClawBack(takeBack, purchase.RequestId);
            Record(LedgerKind.RefundClawback, -takeBack, command.RequestId, command.StoreId, command.TerminalId, now);
        }

        State.LifetimeSpendFen -= amount;
        State.QualifyingSpendFen = Math.Max(0, State.QualifyingSpendFen - amount);
        State.Tier = Rules.TierFor(State.QualifyingSpendFen);
        var receipt = ReceiptFor(command.RequestId, OperationKind.Refund, takeBack, null, null, now);
        Remember(command.RequestId, fingerprint, receipt);
        return new Outcome(receipt, false);
    }

    /// <summary>The member as of <paramref name="now"/>, lots that expired by then not counted.</summary>
    public MemberView View(DateTimeOffset now)
    {
        var held = HeldAt(now);
        var balance = BalanceAt(now);
        return new MemberView(
            State.MemberId,
            State.EnrolledAt,
            State.Birthday,
            State.HomeStoreId,
            State.MarketingConsent,
            State.PersonalisationConsent,
            State.Tier,
            balance,
            held,
            balance - held,
            State.Debt,
            State.LifetimeSpendFen,
            State.QualifyingSpendFen,
            State.FirstPurchaseAt,
            State.LastPurchaseAt,
            State.PurchaseCount,
            [.. State.Lots.Where(l => l.Remaining > 0 && l.ExpiresAt > now).Select(l => new LotView(l.EarnedAt, l.ExpiresAt, l.Remaining))],
            [.. State.Holds.Values.Where(h => h.HoldsAt(now)).Select(h => new HoldView(h.HoldId, h.Points, h.ExpiresAt, h.StoreId, h.TerminalId))],
            Rules.Version,
            now);
    }

    /// <summary>Hands over the ledger rows produced since the last call.</summary>
    public IReadOnlyList<LedgerEntry> DrainLedger()
    {
        if (_pending.Count == 0)
        {
            return [];
        }

        var rows = _pending.ToArray();
        _pending.Clear();
        return rows;
    }

    /// <summary>Balance at <paramref name="now"/>: lots that have expired by then no longer count.</summary>
    public long BalanceAt(DateTimeOffset now) =>
        State.Balance - State.Lots.Where(l => l.ExpiresAt <= now).Sum(l => l.Remaining);

    /// <summary>Points set aside by holds still open at <paramref name="now"/>.</summary>
    public long HeldAt(DateTimeOffset now) => State.Holds.Values.Where(h => h.HoldsAt(now)).Sum(h => h.Points);

    /// <summary>Points a till can reserve at <paramref name="now"/>.</summary>
    public long AvailableAt(DateTimeOffset now) => BalanceAt(now) - HeldAt(now);

    /// <summary>
    /// The id of a member's <paramref name="number"/>th hold: the number plus a tag derived from the
    /// member id, so a hold id sent with the wrong member_id does not capture that member's hold.
    /// </summary>
    public static string HoldId(string memberId, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"H{number}-{Fingerprint.Tag(memberId)}");

    private static void ValidateTill(string requestId, string storeId, string terminalId)
    {
        Validate.Id("request_id", requestId);
        Validate.Id("store_id", storeId);
        Validate.Id("terminal_id", terminalId);
    }

    private void ValidateLines(AccrueCommand command)
    {
        if (command.Lines.Count == 0)
        {
            throw DomainException.Invalid("lines", "A purchase needs at least one line.");
        }

        if (command.Lines.Count > Limits.MaxLines)
        {
            throw DomainException.Invalid("lines", $"A purchase may have at most {Limits.MaxLines} lines.");
        }

        long sum = 0;
        for (var i = 0; i < command.Lines.Count; i++)
        {
            var line = command.Lines[i];
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

        if (sum != command.TotalFen)
        {
            throw DomainException.Invalid("lines", $"The lines add up to {sum} fen but total_fen is {command.TotalFen}.");
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
        if (State.Requests.TryGetValue(requestId, out var request) && request.Receipt.At + Limits.RequestRetention > now)
        {
            (seen, receipt) = (request.Fingerprint, request.Receipt);
        }
        else if (State.Purchases.TryGetValue(requestId, out var purchase) && purchase.At + Limits.PurchaseRetention > now)
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

    /// <summary>Brings time-based state up to date: expires lots and holds, forgets old answers.</summary>
    private void Maintain(DateTimeOffset now, string requestId, string storeId, string terminalId)
    {
        for (var i = 0; i < State.Lots.Count;)
        {
            var lot = State.Lots[i];
            if (lot.ExpiresAt > now)
            {
                i++;
                continue;
            }

            State.Lots.RemoveAt(i);
            if (lot.Remaining > 0)
            {
                Record(LedgerKind.Expire, -lot.Remaining, requestId, storeId, terminalId, now);
            }
        }

        List<string>? drop = null;
        foreach (var hold in State.Holds.Values)
        {
            if (hold.Status == HoldStatus.Open && hold.ExpiresAt <= now)
            {
                hold.Status = HoldStatus.Expired;
                hold.ClosedAt = hold.ExpiresAt;
            }

            if (hold.ClosedAt is { } closed && closed + Limits.ClosedHoldRetention <= now)
            {
                (drop ??= []).Add(hold.HoldId);
            }
        }

        drop?.ForEach(id => State.Holds.Remove(id));
        foreach (var purchase in State.Purchases.Values.Where(p => p.At + Limits.PurchaseRetention <= now).ToList())
        {
            State.Purchases.Remove(purchase.RequestId);
        }

        ForgetOldRequests(now);
    }

    /// <summary>Forgets answers past their retention, and the oldest ones beyond the count limit (room for one more).</summary>
    private void ForgetOldRequests(DateTimeOffset now)
    {
        var anyStale = false;
        foreach (var request in State.Requests.Values)
        {
            anyStale |= request.Receipt.At + Limits.RequestRetention <= now;
        }

        if (!anyStale && State.Requests.Count < Limits.MaxRememberedRequests)
        {
            return; // the common case: nothing to sort or allocate
        }

        var stale = State.Requests.Values
            .OrderBy(r => r.Order)
            .Where((r, index) => r.Receipt.At + Limits.RequestRetention <= now || State.Requests.Count - index >= Limits.MaxRememberedRequests)
            .Select(r => r.RequestId)
            .ToList();
        stale.ForEach(id => State.Requests.Remove(id));
    }

    private void AddLot(long points, DateTimeOffset now, string requestId)
    {
        // New points first pay off any debt left by refunds of spent points.
        var payOff = Math.Min(points, State.Debt);
        State.Debt -= payOff;
        if (points == payOff)
        {
            return;
        }

        var lot = new PointsLot
        {
            Id = ++State.LotSeq,
            EarnedAt = now,
            ExpiresAt = Rules.LotExpiry(now),
            Points = points,
            Remaining = points - payOff,
            SourceRequestId = requestId,
        };
        var at = State.Lots.FindLastIndex(l => l.ExpiresAt <= lot.ExpiresAt) + 1;
        State.Lots.Insert(at, lot);
    }

    private void SpendOldestFirst(long points)
    {
        var left = points;
        while (left > 0)
        {
            var lot = State.Lots[0];
            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
            if (lot.Remaining == 0)
            {
                State.Lots.RemoveAt(0);
            }
        }
    }

    private void ClawBack(long points, string purchaseRequestId)
    {
        var left = points;
        var own = State.Lots.FindIndex(l => l.SourceRequestId == purchaseRequestId);
        if (own >= 0)
        {
            var lot = State.Lots[own];
            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
            if (lot.Remaining == 0)
            {
                State.Lots.RemoveAt(own);
            }
        }

        var fromOthers = Math.Min(left, State.Lots.Sum(l => l.Remaining));
        SpendOldestFirst(fromOthers);
        State.Debt += left - fromOthers;
    }

    private void Record(LedgerKind kind, long points, string requestId, string storeId, string terminalId, DateTimeOffset now) =>
        _pending.Add(new LedgerEntry(++State.LedgerSeq, requestId, kind, points, State.Balance, Rules.Version, storeId, terminalId, now));

    private Receipt ReceiptFor(string requestId, OperationKind operation, long points, string? holdId, DateTimeOffset? holdExpiresAt, DateTimeOffset now)
    {
        var balance = State.Balance;
        return new Receipt(requestId, operation, points, balance, balance - HeldAt(now), holdId, holdExpiresAt, Rules.Version, now);
    }
}
