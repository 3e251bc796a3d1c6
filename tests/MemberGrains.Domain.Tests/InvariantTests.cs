using System.Text.Json;

namespace MemberGrains.Domain.Tests;

/// <summary>
/// Property-style run: thousands of random operations over one account, checked after every step
/// against the ledger and against a small independent model (spend, purchases, holds).
/// </summary>
public class InvariantTests
{
    private const int Steps = 3_000;

    private static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(10);

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20250310)]
    public void RandomOperations_EveryStep_LedgerSumsToBalanceAndModelAgrees(int seed)
    {
        var run = new RandomRun(seed);

        run.Execute(Steps);

        // The mix really exercised the interesting paths.
        Assert.True(run.Applied > Steps / 2, $"applied {run.Applied}");
        Assert.True(run.Refused > Steps / 10, $"refused {run.Refused}");
        Assert.True(run.Replayed > 20, $"replayed {run.Replayed}");
        Assert.True(run.StepsInDebt > 0, "never in debt");
        Assert.True(run.ExpireRows > 0, "no lot expired");
        Assert.True(run.Ledger.Count(r => r.Kind == LedgerKind.Redeem) > 20, "few redemptions");
        Assert.True(run.Ledger.Count(r => r.Kind == LedgerKind.RefundClawback) > 20, "few clawbacks");
    }

    private sealed class RandomRun(int seed)
    {
        private readonly Random _random = new(seed);
        private readonly Dictionary<string, (long Total, long Refunded, DateTimeOffset At)> _purchases = [];
        private readonly Dictionary<string, (long Points, DateTimeOffset ExpiresAt, bool Open)> _holds = [];
        private readonly Dictionary<string, Receipt> _firstReceipts = [];
        private readonly List<object> _sent = [];
        private MemberAccount _account = null!;
        private DateTimeOffset _now = TestMember.T0;
        private long _lifetimeSpend;
        private int _purchaseCount;
        private int _nextId;

        public List<LedgerEntry> Ledger { get; } = [];

        public int Applied { get; private set; }

        public int Refused { get; private set; }

        public int Replayed { get; private set; }

        public int StepsInDebt { get; private set; }

        public int ExpireRows { get; private set; }

        private AccountLimits Limits => _account.Limits;

        public void Execute(int steps)
        {
            var limits = AccountLimits.Default with { MaxRememberedRequests = 32 };
            (_account, var receipt) = MemberAccount.Enroll(Cmd.Enroll(), TestPrograms.FlatCatalog(), limits, _now);
            _firstReceipts["enroll-1"] = receipt;
            CheckLedger(_account.DrainLedger());
            CheckInvariants();

            for (var step = 0; step < steps; step++)
            {
                AdvanceTime();
                var (command, expectSuccess) = NextCommand();
                Apply(command, expectSuccess, step);
                CheckInvariants();
                if (step is 300 or 900)
                {
                    SpendEverything(step);
                }

                if (_account.State.Debt > 0)
                {
                    StepsInDebt++;
                }
            }
        }

        /// <summary>Reserves and captures all available points, so later refunds run into debt.</summary>
        private void SpendEverything(int step)
        {
            var available = _account.AvailableAt(_now);
            if (available <= 0)
            {
                return;
            }

            Apply(Cmd.Reserve(NewId(), available + 1), false, step);
            var reserve = Cmd.Reserve(NewId(), available);
            Apply(reserve, true, step);
            CheckInvariants();
            Apply(Cmd.Capture(NewId(), _firstReceipts[reserve.RequestId].HoldId!), true, step);
            CheckInvariants();
            Assert.Equal(0, _account.AvailableAt(_now));

            var refundable = _purchases
                .Where(p => p.Value.Total - p.Value.Refunded >= 100 && _now < p.Value.At + Limits.PurchaseRetention)
                .Select(p => p.Key)
                .ToList();
            if (refundable.Count > 0)
            {
                Apply(Cmd.Refund(NewId(), Pick(refundable)), true, step);
                CheckInvariants();
            }
        }

        private void AdvanceTime()
        {
            var roll = _random.Next(100);
            _now += roll switch
            {
                < 75 => TimeSpan.FromSeconds(_random.Next(0, 180)),
                < 97 => TimeSpan.FromMinutes(_random.Next(0, 6 * 60)),
                _ => TimeSpan.FromDays(_random.Next(1, 30)),
            };
        }

        private string NewId() => $"q-{++_nextId}";

        private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

        /// <summary>A command and, when the outcome is predictable, whether it must succeed.</summary>
        private (object Command, bool? ExpectSuccess) NextCommand()
        {
            var roll = _random.Next(100);
            if (roll < 8 && _sent.Count > 0)
            {
                return (Pick(_sent), null); // a retry, possibly of something long forgotten
            }

            if (roll < 12 && _sent.Count > 0)
            {
                // A recent request id reused for another purchase.
                var reused = Pick(_sent.TakeLast(10).ToList());
                return (Cmd.Purchase(RequestIdOf(reused), _random.Next(1, 50_000)), null);
            }

            if (roll < 17)
            {
                return (InvalidCommand(), false);
            }

            return roll switch
            {
                < 50 => NewAccrue(),
                < 66 => NewReserve(),
                < 80 => NewCapture(),
                < 89 => NewRelease(),
                _ => NewRefund(),
            };
        }

        private (object, bool?) NewAccrue()
        {
            var total = _random.Next(10) == 0 ? _random.Next(1, 100) : _random.NextInt64(100, 2_000_000);
            var split = _random.NextInt64(0, total + 1);
            var command = Cmd.Purchase(NewId(), total, new PurchaseLine("A", "food", _random.Next(1, 5), split), new PurchaseLine("B", "toys", 1, total - split));
            return (command, true);
        }

        private (object, bool?) NewReserve()
        {
            var available = _account.AvailableAt(_now);
            var points = _random.Next(20) == 0 ? _random.NextInt64(1, 50_000) : _random.NextInt64(1, Math.Clamp(available, 2, 2_000));
            TimeSpan? holdFor = _random.Next(3) == 0 ? TimeSpan.FromSeconds(_random.Next(1, 3_601)) : null;
            return (Cmd.Reserve(NewId(), points, holdFor), points >= 1 && points <= available);
        }

        private (object, bool?) NewCapture()
        {
            if (_holds.Count == 0 || _random.Next(10) == 0)
            {
                return (Cmd.Capture(NewId(), "H999999"), false);
            }

            var holdId = RecentHold();
            var hold = _holds[holdId];
            var points = _random.Next(2) == 0 ? 0 : _random.NextInt64(1, hold.Points + 3);
            var taken = points == 0 ? hold.Points : points;
            var live = hold.Open && _now < hold.ExpiresAt;
            return (Cmd.Capture(NewId(), holdId, points), live && taken <= hold.Points && taken <= _account.BalanceAt(_now));
        }

        private (object, bool?) NewRelease()
        {
            if (_holds.Count == 0 || _random.Next(10) == 0)
            {
                return (Cmd.Release(NewId(), "H999999"), false);
            }

            var holdId = RecentHold();
            var hold = _holds[holdId];
            bool? expect = hold.Open && _now < hold.ExpiresAt ? true : null;
            return (Cmd.Release(NewId(), holdId), expect);
        }

        private (object, bool?) NewRefund()
        {
            if (_purchases.Count == 0 || _random.Next(10) == 0)
            {
                return (Cmd.Refund(NewId(), "p-unknown"), false);
            }

            var recent = _purchases.Where(p => _now < p.Value.At + Limits.PurchaseRetention).Select(p => p.Key).ToList();
            var id = recent.Count > 0 && _random.Next(8) > 0 ? Pick(recent) : Pick(_purchases.Keys.ToList());
            var purchase = _purchases[id];
            var remaining = purchase.Total - purchase.Refunded;
            var amount = _random.Next(3) switch
            {
                0 => 0,
                1 => _random.NextInt64(1, Math.Max(2, remaining + 1)),
                _ => _random.NextInt64(1, purchase.Total + 100),
            };
            var within = _now < purchase.At + Limits.PurchaseRetention;
            var fits = remaining > 0 && (amount == 0 || amount <= remaining);
            return (Cmd.Refund(NewId(), id, amount), within && fits);
        }

        /// <summary>Mostly one of the last few holds (likely still open), sometimes any hold ever made.</summary>
        private string RecentHold()
        {
            var all = _holds.Keys.ToList(); // insertion order: holds are never removed from the model
            return _random.Next(6) switch
            {
                0 => Pick(all),
                1 or 2 => Pick(all.TakeLast(4).ToList()),
                _ => all[^1],
            };
        }

        private object InvalidCommand() => _random.Next(6) switch
        {
            0 => Cmd.Purchase(NewId(), 0),
            1 => Cmd.Purchase(NewId(), 1_000, new PurchaseLine("A", "food", 1, 999)),
            2 => Cmd.Reserve(NewId(), 0),
            3 => Cmd.Reserve(NewId(), 1, TimeSpan.FromHours(2)),
            4 => Cmd.Refund(NewId(), "p-1", -5),
            _ => Cmd.Capture("bad id", "H1"),
        };

        private static string RequestIdOf(object command) => command switch
        {
            AccrueCommand c => c.RequestId,
            ReserveCommand c => c.RequestId,
            CaptureCommand c => c.RequestId,
            ReleaseCommand c => c.RequestId,
            RefundCommand c => c.RequestId,
            _ => throw new InvalidOperationException(),
        };

        private Outcome Run(object command) => command switch
        {
            AccrueCommand c => _account.Accrue(c, _now),
            ReserveCommand c => _account.Reserve(c, _now),
            CaptureCommand c => _account.Capture(c, _now),
            ReleaseCommand c => _account.Release(c, _now),
            RefundCommand c => _account.Refund(c, _now),
            _ => throw new InvalidOperationException(),
        };

        private void Apply(object command, bool? expectSuccess, int step)
        {
            var before = JsonSerializer.Serialize(_account.State);
            var balanceBefore = _account.State.Balance;
            var expiring = balanceBefore - _account.BalanceAt(_now);
            var heldBefore = _account.HeldAt(_now);
            Outcome outcome;
            try
            {
                outcome = Run(command);
            }
            catch (DomainException error)
            {
                Assert.True(expectSuccess != true, $"step {step}: {command} refused: {error.Kind} {error.Field} {error.Message}");
                Assert.Equal(before, JsonSerializer.Serialize(_account.State));
                Assert.Empty(_account.DrainLedger());
                Refused++;
                return;
            }

            Assert.True(expectSuccess != false, $"step {step}: {command} should have been refused");
            var rows = _account.DrainLedger();
            var requestId = RequestIdOf(command);
            if (outcome.Replayed)
            {
                Assert.Equal(_firstReceipts[requestId], outcome.Receipt);
                Assert.Equal(before, JsonSerializer.Serialize(_account.State));
                Assert.Empty(rows);
                Replayed++;
                return;
            }

            Applied++;
            _firstReceipts[requestId] = outcome.Receipt;
            _sent.Add(command);
            CheckLedger(rows);
            var expireRows = rows.Where(r => r.Kind == LedgerKind.Expire).ToList();
            ExpireRows += expireRows.Count;
            Assert.Equal(-expiring, expireRows.Sum(r => r.Points));
            Assert.All(rows, r => Assert.Equal(requestId, r.RequestId));
            var moved = rows.Where(r => r.Kind != LedgerKind.Expire).ToList();
            var receipt = outcome.Receipt;
            Assert.Equal(_account.State.Balance, receipt.Balance);
            Assert.Equal(_account.AvailableAt(_now), receipt.Available);
            Assert.Equal(requestId, receipt.RequestId);

            switch (command)
            {
                case AccrueCommand c:
                    var earned = c.TotalFen / 100;
                    Assert.Equal(earned, receipt.Points);
                    AssertMoved(moved, LedgerKind.Earn, earned);
                    _lifetimeSpend += c.TotalFen;
                    _purchaseCount++;
                    _purchases[c.RequestId] = (c.TotalFen, 0, _now);
                    break;

                case ReserveCommand c:
                    Assert.Empty(moved);
                    Assert.Equal(c.Points, receipt.Points);
                    Assert.Equal(_now + (c.HoldFor ?? DefaultHold), receipt.HoldExpiresAt);
                    Assert.False(_holds.ContainsKey(receipt.HoldId!));
                    Assert.Equal(heldBefore + c.Points, _account.HeldAt(_now));
                    _holds[receipt.HoldId!] = (c.Points, receipt.HoldExpiresAt!.Value, true);
                    break;

                case CaptureCommand c:
                    var hold = _holds[c.HoldId];
                    var captured = c.Points == 0 ? hold.Points : c.Points;
                    Assert.Equal(captured, receipt.Points);
                    AssertMoved(moved, LedgerKind.Redeem, -captured);
                    _holds[c.HoldId] = hold with { Open = false };
                    break;

                case ReleaseCommand c:
                    var released = _holds[c.HoldId];
                    Assert.Empty(moved);
                    Assert.Equal(released.Open && _now < released.ExpiresAt ? released.Points : 0, receipt.Points);
                    _holds[c.HoldId] = released with { Open = false };
                    break;

                case RefundCommand c:
                    var purchase = _purchases[c.OriginalRequestId];
                    var remaining = purchase.Total - purchase.Refunded;
                    var amount = c.AmountFen == 0 ? remaining : c.AmountFen;
                    var takeBack = (remaining / 100) - ((remaining - amount) / 100);
                    Assert.Equal(takeBack, receipt.Points);
                    AssertMoved(moved, LedgerKind.RefundClawback, -takeBack);
                    _purchases[c.OriginalRequestId] = purchase with { Refunded = purchase.Refunded + amount };
                    _lifetimeSpend -= amount;
                    break;
            }
        }

        private static void AssertMoved(List<LedgerEntry> moved, LedgerKind kind, long points)
        {
            if (points == 0)
            {
                Assert.Empty(moved);
                return;
            }

            var row = Assert.Single(moved);
            Assert.Equal(kind, row.Kind);
            Assert.Equal(points, row.Points);
        }

        private void CheckLedger(IReadOnlyList<LedgerEntry> rows)
        {
            foreach (var row in rows)
            {
                var previous = Ledger.Count == 0 ? 0 : Ledger[^1].BalanceAfter;
                Assert.Equal(Ledger.Count + 1, row.Seq);
                Assert.Equal(previous + row.Points, row.BalanceAfter);
                Assert.Equal(_now, row.At);
                Ledger.Add(row);
            }
        }

        private void CheckInvariants()
        {
            var state = _account.State;
            Assert.Equal(Ledger.Sum(r => r.Points), state.Balance);
            Assert.Equal(Ledger.Count, state.LedgerSeq);
            Assert.Equal(Enumerable.Range(1, Ledger.Count).Select(i => (long)i), Ledger.Select(r => r.Seq));
            Assert.Equal(_account.BalanceAt(_now) - _account.HeldAt(_now), _account.AvailableAt(_now));

            // Holds: the model's live holds are exactly what the account holds.
            var modelHeld = _holds.Values.Where(h => h.Open && _now < h.ExpiresAt).Sum(h => h.Points);
            Assert.Equal(modelHeld, _account.HeldAt(_now));

            // Lots and debt.
            Assert.True(state.Debt >= 0);
            Assert.True(state.Debt == 0 || state.Lots.Count == 0, "debt while lots remain");
            Assert.All(state.Lots, l => Assert.True(l.Remaining > 0 && l.Remaining <= l.Points));
            for (var i = 1; i < state.Lots.Count; i++)
            {
                Assert.True(state.Lots[i - 1].ExpiresAt <= state.Lots[i].ExpiresAt, "lots out of expiry order");
            }

            var view = _account.View(_now);
            Assert.Equal(_account.BalanceAt(_now), view.Balance);
            Assert.Equal(view.Lots.Sum(l => l.Remaining) - view.Debt, view.Balance);
            Assert.Equal(view.Balance - view.Held - view.Pending, view.Available);
            Assert.All(view.Lots, l => Assert.True(l.ExpiresAt > _now));

            // Spend follows the model; the qualifying spend is the rolling window's part of it, and the
            // tier (no monthly upkeep in the flat program) never sits below what that spend reaches.
            Assert.Equal(_lifetimeSpend, state.LifetimeSpendFen);
            Assert.Equal(_purchaseCount, state.PurchaseCount);
            Assert.InRange(view.Tier.QualifyingSpendFen, 0, _lifetimeSpend);
            var yuan = view.Tier.QualifyingSpendFen / 100;
            var reached = yuan >= 50_000 ? Tier.Platinum : yuan >= 10_000 ? Tier.Gold : yuan >= 1_000 ? Tier.Silver : Tier.Regular;
            Assert.True(state.Tier >= reached, $"tier {state.Tier} below the {reached} a qualifying spend of {yuan} CNY reaches");
            Assert.True(state.Requests.Count <= _account.Limits.MaxRememberedRequests);
        }
    }
}
