using System.Globalization;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>Points movements: lots in, lots out, and the ledger rows that record them.</summary>
public sealed partial class MemberAccount
{
    /// <summary>
    /// Adds earned points as a lot and records them. New points first pay what refunds left behind:
    /// a negative balance (implicitly) and then any points owed (with a <see cref="LedgerKind.DebtRecovery"/> row).
    /// </summary>
    private void AddLot(long points, DateTimeOffset now, string requestId, DateTimeOffset availableAt, string storeId, string terminalId, LedgerKind kind, string? offerId = null)
    {
        var payOff = Math.Min(points, State.Debt);
        State.Debt -= payOff;
        var lotPoints = points - payOff;
        PointsLot? lot = null;
        if (lotPoints > 0)
        {
            lot = new PointsLot
            {
                Id = ++State.LotSeq,
                EarnedAt = now,
                ExpiresAt = Rules.LotExpiry(now),
                AvailableAt = availableAt,
                Points = lotPoints,
                Remaining = lotPoints,
                SourceRequestId = requestId,
            };
            var at = State.Lots.FindLastIndex(l => l.ExpiresAt <= lot.ExpiresAt) + 1;
            State.Lots.Insert(at, lot);
        }

        Record(kind, points, requestId, storeId, terminalId, now, offerId: offerId);
        var recover = lot is null ? 0 : Math.Min(lot.Remaining, State.Owed);
        if (recover > 0)
        {
            lot!.Remaining -= recover;
            State.Owed -= recover;
            if (lot.Remaining == 0)
            {
                State.Lots.Remove(lot);
            }

            Record(LedgerKind.DebtRecovery, -recover, requestId, storeId, terminalId, now);
        }
    }

    /// <summary>
    /// Spends points earliest expiry first. A redemption (<paramref name="redeemableAt"/> given) spends
    /// the lots redeemable by then before any pending one: spending a pending lot would leave a later
    /// redeemable lot free to be redeemed again, and the return window would not hold the points back.
    /// </summary>
    private void SpendOldestFirst(long points, DateTimeOffset? redeemableAt = null)
    {
        var left = points;
        for (var pass = redeemableAt is null ? 1 : 0; pass < 2 && left > 0; pass++)
        {
            for (var i = 0; i < State.Lots.Count && left > 0;)
            {
                var lot = State.Lots[i];
                if (pass == 0 && lot.AvailableAt > redeemableAt)
                {
                    i++;
                    continue;
                }

                var take = Math.Min(left, lot.Remaining);
                lot.Remaining -= take;
                left -= take;
                if (lot.Remaining == 0)
                {
                    State.Lots.RemoveAt(i);
                }
                else
                {
                    i++;
                }
            }
        }
    }

    /// <summary>
    /// Takes back points a refund reversed, from the purchase's own lots first (its earning and its
    /// offers' bonus points), then oldest first.
    /// What the lots can't cover follows the program's policy: a negative balance, or points owed.
    /// Returns the points taken from the balance (the ledger movement).
    /// </summary>
    private long ClawBack(long points, string purchaseRequestId)
    {
        var policy = Rules.Document.Refunds.WhenPointsSpent;
        var takeable = policy == SpentPointsPolicy.NegativeBalance ? points : Math.Min(points, Math.Max(0, State.Balance));
        var left = takeable;
        for (var own = 0; own < State.Lots.Count && left > 0;)
        {
            var lot = State.Lots[own];
            if (lot.SourceRequestId != purchaseRequestId)
            {
                own++;
                continue;
            }

            var take = Math.Min(left, lot.Remaining);
            lot.Remaining -= take;
            left -= take;
            if (lot.Remaining == 0)
            {
                State.Lots.RemoveAt(own);
            }
            else
            {
                own++;
            }
        }

        var fromOthers = Math.Min(left, State.Lots.Sum(l => l.Remaining));
        SpendOldestFirst(fromOthers);
        State.Debt += left - fromOthers;
        State.Owed += points - takeable;
        return takeable;
    }

    private void Record(LedgerKind kind, long points, string requestId, string storeId, string terminalId, DateTimeOffset now, int? programVersion = null, string? offerId = null) =>
        _pendingLedger.Add(new LedgerEntry(++State.LedgerSeq, requestId, kind, points, State.Balance, programVersion ?? Rules.Version, storeId, terminalId, now, offerId));

    private void Raise(string kind, DateTimeOffset now, params (string Key, string Value)[] data)
    {
        var details = new Dictionary<string, string>(data.Length, StringComparer.Ordinal);
        foreach (var (key, value) in data)
        {
            details[key] = value;
        }

        _pendingEvents.Add(new MemberEvent(++State.EventSeq, kind, now, Rules.Version, details));
    }

    private void RaiseFlag(string code, DateTimeOffset now, int hours, string detail)
    {
        var expires = now + TimeSpan.FromHours(hours);
        var existing = State.Flags.Find(f => f.Code == code && f.ExpiresAt > now);
        if (existing is not null)
        {
            existing.ExpiresAt = expires;
            existing.Detail = detail;
            return;
        }

        State.Flags.Add(new RiskFlag { Code = code, RaisedAt = now, ExpiresAt = expires, Detail = detail });
        Raise(EventKinds.RiskFlagRaised, now, ("code", code), ("detail", detail), ("expires_at", expires.ToString("O", CultureInfo.InvariantCulture)));
    }
}
