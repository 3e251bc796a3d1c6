using MemberGrains.Abstractions;
using MemberGrains.IntegrationTests.Infrastructure;
using Orleans.Runtime;

namespace MemberGrains.IntegrationTests;

/// <summary>The durability contract on a real two-silo cluster and a real Postgres.</summary>
public sealed class MemberDurabilityTests(MemberClusterFixture fixture) : IClassFixture<MemberClusterFixture>
{
    private Db Db => fixture.Db;

    [Fact]
    public async Task Accrue_SameRequestIdTwice_CountedOnce()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));

        var first = await member.AccrueAsync(Make.Accrue("r-1", 12_345));
        var second = await member.AccrueAsync(Make.Accrue("r-1", 12_345));

        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        // Structural: the receipt carries lists (campaigns, reasons), which records compare by reference.
        Assert.Equivalent(first with { Replayed = true }, second, strict: true);
        Assert.Equal(100 + 123, (await member.GetAsync()).Balance);
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "r-1"));
        Assert.Equal(223, await Db.LedgerSumAsync(id));
    }

    [Fact]
    public async Task Accrue_SameRequestIdAfterDeactivation_CountedOnce()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        var first = await member.AccrueAsync(Make.Accrue("r-1", 50_000));
        var reserve = await member.ReserveAsync(Make.Reserve("h-1", 200));

        await DeactivateAllAsync();

        var again = await member.AccrueAsync(Make.Accrue("r-1", 50_000));
        var reserveAgain = await member.ReserveAsync(Make.Reserve("h-1", 200));
        Assert.True(again.Replayed);
        Assert.Equal(first.Balance, again.Balance);
        Assert.True(reserveAgain.Replayed);
        Assert.Equal(reserve.HoldId, reserveAgain.HoldId);
        var snapshot = await member.GetAsync();
        Assert.Equal(600, snapshot.Balance);
        Assert.Equal(200, snapshot.Held);
        Assert.Single(snapshot.Holds);
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "r-1"));
    }

    [Fact]
    public async Task Accrue_ReusedRequestIdWithOtherPayload_RefusedAndNothingChanges()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        await member.AccrueAsync(Make.Accrue("r-1", 10_000));

        var refusal = await Assert.ThrowsAsync<MemberOperationException>(() => member.AccrueAsync(Make.Accrue("r-1", 20_000)));

        Assert.Equal(RefusalKind.AlreadyExists, refusal.Kind);
        Assert.Equal("request_id", refusal.Field);
        Assert.Equal(200, (await member.GetAsync()).Balance);
        Assert.Equal(200, await Db.LedgerSumAsync(id));
    }

    [Fact]
    public async Task Enroll_CommandNamingAnotherMember_RefusedAndNeitherEnrolled()
    {
        var id = Make.MemberId();
        var other = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);

        var refusal = await Assert.ThrowsAsync<MemberOperationException>(() => member.EnrollAsync(Make.Enroll(other)));

        Assert.Equal(RefusalKind.InvalidArgument, refusal.Kind);
        Assert.Equal("member_id", refusal.Field);
        Assert.Contains(other, refusal.Message, StringComparison.Ordinal);
        Assert.Null(await Db.MemberRowAsync(id));
        Assert.Null(await Db.MemberRowAsync(other));
        Assert.Equal(RefusalKind.NotFound, (await Assert.ThrowsAsync<MemberOperationException>(() => member.GetAsync())).Kind);
    }

    [Fact]
    public async Task Reserve_FiftyConcurrentTills_NeverOverdrawn()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        await member.AccrueAsync(Make.Accrue("buy", 90_000)); // 100 + 900 = 1,000 points

        var attempts = Enumerable.Range(0, 50).Select(async i =>
        {
            try
            {
                return await member.ReserveAsync(Make.Reserve($"till-{i}", 30));
            }
            catch (MemberOperationException e) when (e.Kind == RefusalKind.FailedPrecondition)
            {
                return null;
            }
        });
        var holds = (await Task.WhenAll(attempts)).OfType<OperationReceipt>().ToList();

        Assert.Equal(33, holds.Count); // 33 × 30 = 990 ≤ 1,000 < 34 × 30
        Assert.All(holds, h => Assert.True(h.Available >= 0));
        await Task.WhenAll(holds.Select(h => member.CaptureAsync(Make.Capture($"cap-{h.RequestId}", h.HoldId!))));
        var after = await member.GetAsync();
        Assert.Equal(10, after.Balance);
        Assert.Equal(10, after.Available);
        Assert.Equal(10, await Db.LedgerSumAsync(id));
        Assert.Equal((10L, 2L + 33L + 33L), await Db.MemberRowAsync(id) is { } row ? (row.Balance, row.Version) : default);
    }

    [Fact]
    public async Task Accrue_StorageFailsMidTransaction_ErrorAndMemoryEqualsPostgres()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        await member.AccrueAsync(Make.Accrue("ok-1", 10_000));
        // A real server-side failure after the member row was updated in the same transaction:
        // the ledger insert of this member's next write raises.
        var trigger = $"fail_{Guid.NewGuid():N}";
        await Db.ExecuteAsync($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.member_id = '{id}' THEN RAISE EXCEPTION 'injected fault'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON points_ledger FOR EACH ROW EXECUTE FUNCTION {trigger}();
            """);
        var before = await Db.MemberRowAsync(id);
        var eventsBefore = await Db.EventsAsync(id);

        // Other members' writes committed alongside keep working.
        var bystanderId = Make.MemberId();
        var bystander = fixture.Grains.GetGrain<IMemberGrain>(bystanderId);
        var failing = member.AccrueAsync(Make.Accrue("boom", 55_500));
        var unaffected = bystander.EnrollAsync(Make.Enroll(bystanderId));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => failing);
        Assert.Equal(100, (await unaffected).Balance);

        Assert.Equal(before, await Db.MemberRowAsync(id));
        var snapshot = await member.GetAsync();
        Assert.Equal(200, snapshot.Balance);
        Assert.Equal(1, snapshot.PurchaseCount);
        Assert.Equal(0, await Db.LedgerRowsAsync(id, "boom"));
        Assert.Equal(eventsBefore, await Db.EventsAsync(id));

        await Db.ExecuteAsync($"DROP TRIGGER {trigger} ON points_ledger; DROP FUNCTION {trigger}();");
        var retried = await member.AccrueAsync(Make.Accrue("boom", 55_500));
        Assert.False(retried.Replayed);
        Assert.Equal(755, retried.Balance);
        Assert.Equal(755, await Db.LedgerSumAsync(id));
        Assert.Equal(755, (await Db.MemberRowAsync(id))!.Value.Balance);
    }

    [Fact]
    public async Task Enroll_AndFirstPurchase_EventsAndDueTimeCommittedWithStateAndSurviveReactivation()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);

        var enrolled = await member.EnrollAsync(Make.Enroll(id));

        Assert.Equal([(1L, "enrolled", enrolled.ProgramVersion)], await Db.EventsAsync(id));
        // The flat program's only scheduled rule for a new member: the expiring-soon notice of the welcome points.
        var lot = Assert.Single((await member.GetAsync()).Lots);
        Assert.Equal(lot.ExpiresAt - TimeSpan.FromDays(30), await Db.DueAtAsync(id));

        await DeactivateAllAsync();
        await member.AccrueAsync(Make.Accrue("first", 10_000));

        Assert.Equal([(1L, "enrolled", 1), (2L, "first_purchase", 1)], await Db.EventsAsync(id));
    }

    [Fact]
    public async Task Accrue_OutboxInsertFails_NothingOfTheChangeStoredAndRetryRecordsTheEventOnce()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        var trigger = $"fail_{Guid.NewGuid():N}";
        await Db.ExecuteAsync($"""
            CREATE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF NEW.member_id = '{id}' THEN RAISE EXCEPTION 'injected outbox fault'; END IF;
              RETURN NEW;
            END $$;
            CREATE TRIGGER {trigger} BEFORE INSERT ON member_event FOR EACH ROW EXECUTE FUNCTION {trigger}();
            """);
        var before = await Db.MemberRowAsync(id);

        // The first purchase raises first_purchase: its outbox row fails, so the whole change must.
        await Assert.ThrowsAsync<StorageUnavailableException>(() => member.AccrueAsync(Make.Accrue("first", 30_000)));

        Assert.Equal(before, await Db.MemberRowAsync(id));
        Assert.Equal(0, await Db.LedgerRowsAsync(id, "first"));
        Assert.Equal([(1L, "enrolled", 1)], await Db.EventsAsync(id));
        Assert.Equal(0, (await member.GetAsync()).PurchaseCount);

        await Db.ExecuteAsync($"DROP TRIGGER {trigger} ON member_event; DROP FUNCTION {trigger}();");
        var retried = await member.AccrueAsync(Make.Accrue("first", 30_000));
        Assert.False(retried.Replayed);
        Assert.Equal(400, retried.Balance);
        Assert.Equal([(1L, "enrolled", 1), (2L, "first_purchase", 1)], await Db.EventsAsync(id));
    }

    [Fact]
    public async Task Accrue_MemberRowWrittenByAnotherActivation_DecidedAgainOnReloadedStateAndCommittedOnce()
    {
        var id = Make.MemberId();
        var member = fixture.Grains.GetGrain<IMemberGrain>(id);
        await member.EnrollAsync(Make.Enroll(id));
        // Another writer (a stale duplicate activation during a failover) committed first.
        await Db.ExecuteAsync($"UPDATE member SET version = version + 1 WHERE member_id = '{id}'");

        // The commit finds the row moved on (nothing stored), so the grain reloads and applies again.
        var receipt = await member.AccrueAsync(Make.Accrue("late", 10_000));

        Assert.False(receipt.Replayed);
        Assert.Equal(200, receipt.Balance);
        Assert.Equal(1, await Db.LedgerRowsAsync(id, "late"));
        Assert.Equal(200, await Db.LedgerSumAsync(id));
        Assert.Equal((200L, 3L), (await Db.MemberRowAsync(id))!.Value);
        Assert.True((await member.AccrueAsync(Make.Accrue("late", 10_000))).Replayed);
    }

    [Fact]
    public async Task Operations_RandomSequenceOverManyMembers_LedgerSumEqualsBalanceEqualsModel()
    {
        var random = new Random(20261124);
        var ids = Enumerable.Range(0, 24).Select(_ => Make.MemberId()).ToArray();
        var model = new Dictionary<string, MemberModel>();
        foreach (var id in ids)
        {
            await fixture.Grains.GetGrain<IMemberGrain>(id).EnrollAsync(Make.Enroll(id));
            model[id] = new MemberModel { Balance = 100 };
        }

        for (var step = 0; step < 600; step++)
        {
            var id = ids[random.Next(ids.Length)];
            var m = model[id];
            var member = fixture.Grains.GetGrain<IMemberGrain>(id);
            var requestId = $"op-{step}";
            switch (random.Next(6))
            {
                case 0 or 1:
                    var total = random.NextInt64(1, 2_000_00);
                    await member.AccrueAsync(Make.Accrue(requestId, total));
                    m.Balance += total / 100;
                    m.Purchases.Add((requestId, total));
                    break;
                case 2:
                    var points = random.NextInt64(1, 400);
                    if (points <= m.Balance - m.Holds.Values.Sum())
                    {
                        var hold = await member.ReserveAsync(Make.Reserve(requestId, points));
                        m.Holds[hold.HoldId!] = points;
                    }
                    else
                    {
                        var refused = await Assert.ThrowsAsync<MemberOperationException>(() => member.ReserveAsync(Make.Reserve(requestId, points)));
                        Assert.Equal(RefusalKind.FailedPrecondition, refused.Kind);
                    }

                    break;
                case 3 when m.Holds.Count > 0:
                    var (capture, held) = m.Holds.First();
                    if (held > m.Balance)
                    {
                        // A refund took back points after they were reserved: the capture is refused.
                        var refusedCapture = await Assert.ThrowsAsync<MemberOperationException>(() => member.CaptureAsync(Make.Capture(requestId, capture)));
                        Assert.Equal(RefusalKind.FailedPrecondition, refusedCapture.Kind);
                        break;
                    }

                    await member.CaptureAsync(Make.Capture(requestId, capture));
                    m.Holds.Remove(capture);
                    m.Balance -= held;
                    break;
                case 4 when m.Holds.Count > 0:
                    var release = m.Holds.Keys.Last();
                    await member.ReleaseAsync(Make.Release(requestId, release));
                    m.Holds.Remove(release);
                    break;
                case 5 when m.Purchases.Count > 0:
                    var index = random.Next(m.Purchases.Count);
                    var (original, paid) = m.Purchases[index];
                    var amount = random.NextInt64(1, paid + 1);
                    var receipt = await member.RefundAsync(Make.Refund(requestId, original, amount));
                    var expectedBack = (paid / 100) - ((paid - amount) / 100);
                    Assert.Equal(expectedBack, receipt.Points);
                    m.Balance -= expectedBack;
                    if (amount == paid)
                    {
                        m.Purchases.RemoveAt(index);
                    }
                    else
                    {
                        m.Purchases[index] = (original, paid - amount);
                    }

                    break;
                default:
                    await member.GetAsync();
                    break;
            }

            if (step % 150 == 0)
            {
                // Let some members fall out of memory: they must come back from Postgres intact.
                await DeactivateAllAsync();
            }
        }

        foreach (var id in ids)
        {
            var snapshot = await fixture.Grains.GetGrain<IMemberGrain>(id).GetAsync();
            Assert.Equal(model[id].Balance, snapshot.Balance);
            Assert.Equal(model[id].Holds.Values.Sum(), snapshot.Held);
            Assert.Equal(model[id].Balance, await Db.LedgerSumAsync(id));
            Assert.Equal(model[id].Balance, (await Db.MemberRowAsync(id))!.Value.Balance);
        }
    }

    private async Task DeactivateAllAsync()
    {
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
    }

    private sealed class MemberModel
    {
        public long Balance { get; set; }

        public Dictionary<string, long> Holds { get; } = [];

        public List<(string RequestId, long Remaining)> Purchases { get; } = [];
    }
}
