using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// membergrains.v1.PointOfSale for the fuzzer: a pool of members enrolled for this run (each with a
/// large purchase and open holds), valid requests against them, the changes that need their state,
/// and the check that a refusal leaves each member's GetMember answer and Postgres rows as they were.
/// </summary>
internal sealed class PosWorld : IFuzzWorld
{
    private const string Store = "S001";
    private const string Terminal = "T01";
    private const long PurchaseFen = 1_000_000;
    private const int MaxRememberedPayload = 64 * 1024;

    // The flat test program's activities and how often each earns on one day (the clock stands still).
    private static readonly Dictionary<string, int> ActivityQuota = new() { ["check_in"] = 1, ["review"] = 3, ["survey"] = 1, ["referral"] = 1 };

    private static readonly (string Value, bool Valid)[] Birthdays =
    [
        ("2026-02-30", false), ("0000-01-01", false), ("2026-13-01", false), ("2026-00-10", false), ("2023-02-29", false),
        ("1899-12-31", false), ("9999-12-31", false), ("2027-01-01", false), ("2026-1-1", false), ("20260101", false),
        ("２０２０-01-01", false), ("2020-01-01T00:00:00Z", false), (" 2020-01-01", false), ("2020-01-01\0", false),
        ("-001-01-01", false), ("+2020-01-01", false), ("1990-05-17\u202E", false),
        ("2024-02-29", true), ("2000-02-29", true), ("1990-05-17", true), ("1961-12-31", true),
    ];

    private static readonly Dictionary<string, FieldSpec[]> FieldsByRpc = new()
    {
        ["EnrollMember"] =
        [
            MemberIdField, RequestIdField, FieldSpec.Text("birthday", FieldKind.Date, false), FieldSpec.Text("home_store_id", FieldKind.TillId, false),
            FieldSpec.Flag("marketing_consent"), FieldSpec.Flag("personalisation_consent"),
        ],
        ["GetMember"] = [MemberIdField],
        ["Accrue"] =
        [
            MemberIdField, RequestIdField, StoreField, TerminalField, .. LineFields,
        ],
        ["ReserveRedemption"] =
        [
            MemberIdField, RequestIdField, StoreField, TerminalField, FieldSpec.Number("points", 1),
            FieldSpec.Number("hold_seconds", 0, 3_600), FieldSpec.Number("basket_fen", 0),
        ],
        ["CaptureRedemption"] =
        [
            MemberIdField, RequestIdField, StoreField, TerminalField, FieldSpec.Text("hold_id", FieldKind.HoldRef, true),
            FieldSpec.Number("points", 0), FieldSpec.Text("approved_by", FieldKind.TillId, false),
        ],
        ["ReleaseRedemption"] = [MemberIdField, RequestIdField, StoreField, TerminalField, FieldSpec.Text("hold_id", FieldKind.HoldRef, true)],
        ["Refund"] =
        [
            MemberIdField, RequestIdField, StoreField, TerminalField, FieldSpec.Text("original_request_id", FieldKind.PurchaseRef, true),
            FieldSpec.Number("amount_fen", 0),
        ],
        ["RecordActivity"] =
        [
            MemberIdField, RequestIdField, StoreField, TerminalField, FieldSpec.Text("kind", FieldKind.ActivityKind, true),
            FieldSpec.Text("reference", FieldKind.TillId, false),
        ],
        ["QuoteCheckout"] = [MemberIdField, StoreField, .. LineFields, FieldSpec.Number("redeem_points", 0)],
    };

    private readonly PointOfSale.PointOfSaleClient _pos;
    private readonly Db _db;
    private readonly List<PoolMember> _pool = [];
    private readonly Dictionary<string, MemberSnapshot> _snapshots = [];
    private readonly List<SentRequest> _history = [];
    private readonly List<ClosedHold> _closed = [];

    private PosWorld(PointOfSale.PointOfSaleClient pos, Db db)
    {
        _pos = pos;
        _db = db;
    }

    public ServiceDescriptor Service => PointOfSale.Descriptor;

    private static FieldSpec MemberIdField => FieldSpec.Text("member_id", FieldKind.MemberId, true, FieldSpec.MemberIdLength);

    private static FieldSpec RequestIdField => FieldSpec.Text("request_id", FieldKind.RequestId, true);

    private static FieldSpec StoreField => FieldSpec.Text("store_id", FieldKind.TillId, true);

    private static FieldSpec TerminalField => FieldSpec.Text("terminal_id", FieldKind.TillId, true);

    private static FieldSpec[] LineFields =>
    [
        FieldSpec.Text("lines[].sku", FieldKind.TillId, true), FieldSpec.Text("lines[].category", FieldKind.Category, false),
        FieldSpec.Number("lines[].quantity", 1, long.MaxValue, "lines[].quantity"), FieldSpec.Flag("lines[].promoted"),
    ];

    /// <summary>A world with three members, each enrolled, with a purchase of 10,000 CNY and two open holds.</summary>
    public static async Task<PosWorld> CreateAsync(PointOfSale.PointOfSaleClient pos, Db db, CancellationToken ct)
    {
        var world = new PosWorld(pos, db);
        for (var i = 0; i < 3; i++)
        {
            await world.AddMemberAsync(withPurchase: true, ct);
        }

        return world;
    }

    public IReadOnlyList<FieldSpec> Fields(string rpc) => FieldsByRpc[rpc];

    public IReadOnlyList<Func<Baseline, Random, Mutation?>> SoloMutations(string rpc)
    {
        var solos = new List<Func<Baseline, Random, Mutation?>>();
        if (rpc == "EnrollMember")
        {
            solos.AddRange([ExistingMember, OddBirthday, OddBirthday, ReuseEnrolmentRequestId, Replay]);
            return solos;
        }

        solos.AddRange([UnknownMember, OtherPoolMember]);
        if (rpc is not ("GetMember" or "QuoteCheckout"))
        {
            solos.AddRange([ReuseRequestId, Replay]);
        }

        switch (rpc)
        {
            case "Accrue" or "QuoteCheckout":
                solos.AddRange(BasketAttacks.All.Select(attack => (Func<Baseline, Random, Mutation?>)((b, r) => attack(b.Request, r))));
                break;
            case "ReserveRedemption":
                solos.Add(MoreThanAvailable);
                break;
            case "CaptureRedemption" or "ReleaseRedemption":
                solos.AddRange([UnknownHold, OtherMembersHold, ClosedHoldOfMember]);
                break;
            case "Refund":
                solos.AddRange([UnknownPurchase, NotAPurchase]);
                break;
            case "RecordActivity":
                solos.AddRange([UnknownKind, UsedUpKind]);
                break;
        }

        return solos;
    }

    public async Task<Baseline> BaselineAsync(string rpc, Random random, CancellationToken ct)
    {
        switch (rpc)
        {
            case "EnrollMember":
            {
                var id = NewMemberId();
                var request = new EnrollMemberRequest
                {
                    MemberId = id,
                    RequestId = NewRequestId("enroll"),
                    Birthday = random.Next(2) == 0 ? string.Empty : new DateOnly(random.Next(1950, 2005), random.Next(1, 13), random.Next(1, 29)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    HomeStoreId = random.Next(2) == 0 ? string.Empty : Store,
                    MarketingConsent = random.Next(2) == 0,
                    PersonalisationConsent = random.Next(2) == 0,
                };
                return new Baseline(request, [], NewMemberId: id);
            }

            case "GetMember":
            {
                var member = Pick(random);
                return new Baseline(new GetMemberRequest { MemberId = member.Id }, [member.Id], ReadOnly: true);
            }

            case "Accrue":
            {
                var member = Pick(random);
                var request = new AccrueRequest { MemberId = member.Id, RequestId = NewRequestId("buy"), StoreId = Store, TerminalId = Terminal };
                request.Lines.AddRange(Basket(random));
                request.TotalFen = request.Lines.Sum(l => l.AmountFen);
                return new Baseline(request, [member.Id]);
            }

            case "ReserveRedemption":
            {
                var member = Pick(random);
                var points = random.Next(1, 11);
                var request = new ReserveRedemptionRequest
                {
                    MemberId = member.Id,
                    RequestId = NewRequestId("reserve"),
                    StoreId = Store,
                    TerminalId = Terminal,
                    Points = points,
                    HoldSeconds = random.Next(2) == 0 ? 0 : random.Next(60, 3_601),
                    // 100 points pay 1 CNY: a basket of at least `points` fen lets them pay.
                    BasketFen = random.Next(2) == 0 ? 0 : points + random.Next(0, 10_000),
                };
                return new Baseline(request, [member.Id]);
            }

            case "CaptureRedemption":
            {
                var member = Pick(random);
                var (holdId, held) = await OpenHoldAsync(member, ct);
                var request = new CaptureRedemptionRequest
                {
                    MemberId = member.Id,
                    RequestId = NewRequestId("capture"),
                    StoreId = Store,
                    TerminalId = Terminal,
                    HoldId = holdId,
                    Points = random.Next(2) == 0 ? 0 : random.NextInt64(1, held + 1),
                    ApprovedBy = random.Next(3) == 0 ? "MGR-7" : string.Empty,
                };
                return new Baseline(request, [member.Id]);
            }

            case "ReleaseRedemption":
            {
                var member = Pick(random);
                var (holdId, _) = await OpenHoldAsync(member, ct);
                var request = new ReleaseRedemptionRequest { MemberId = member.Id, RequestId = NewRequestId("release"), StoreId = Store, TerminalId = Terminal, HoldId = holdId };
                return new Baseline(request, [member.Id]);
            }

            case "Refund":
            {
                var member = Pick(random);
                var purchase = await RefundableAsync(member, ct);
                var request = new RefundRequest
                {
                    MemberId = member.Id,
                    RequestId = NewRequestId("refund"),
                    StoreId = Store,
                    TerminalId = "T02",
                    OriginalRequestId = purchase,
                    AmountFen = random.Next(1, 501),
                };
                return new Baseline(request, [member.Id]);
            }

            case "RecordActivity":
            {
                var (member, kind) = await ActivitySlotAsync(random, ct);
                var request = new RecordActivityRequest
                {
                    MemberId = member.Id,
                    RequestId = NewRequestId("activity"),
                    StoreId = Store,
                    TerminalId = Terminal,
                    Kind = kind,
                    Reference = random.Next(2) == 0 ? string.Empty : $"R-{random.Next(1_000)}",
                };
                return new Baseline(request, [member.Id]);
            }

            case "QuoteCheckout":
            {
                var member = Pick(random);
                var request = new QuoteCheckoutRequest { MemberId = member.Id, StoreId = Store, RedeemPoints = random.Next(2) == 0 ? 0 : random.Next(1, 100) };
                request.Lines.AddRange(Basket(random));
                request.TotalFen = request.Lines.Sum(l => l.AmountFen);
                return new Baseline(request, [member.Id], ReadOnly: true);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not a PointOfSale rpc.");
        }
    }

    public async Task VerifyAsync(FuzzCase fuzzCase, CallOutcome outcome, Action<string> fail, CancellationToken ct)
    {
        var rpc = fuzzCase.Method.Name;
        var sentId = Wire.Text(fuzzCase.Request, "member_id");
        var member = _pool.Find(m => m.Id == sentId);
        if (outcome.IsOk && !fuzzCase.ReadOnly)
        {
            if (member is not null)
            {
                Record(rpc, fuzzCase, member, outcome);
                _snapshots[member.Id] = await MemberSnapshot.TakeAsync(_pos, _db, member.Id, ct);
            }

            foreach (var watched in fuzzCase.Watched.Where(w => w != sentId))
            {
                await CompareAsync(watched, fail, ct);
            }
        }
        else
        {
            if (rpc == "RecordActivity" && outcome.Code == StatusCode.FailedPrecondition && member is not null
                && Wire.Text(fuzzCase.Request, "kind") is { } kind && member.ActivitiesLeft.ContainsKey(kind))
            {
                member.ActivitiesLeft[kind] = 0;
            }

            foreach (var watched in fuzzCase.Watched.Concat(member is null ? [] : [member.Id]).Distinct())
            {
                await CompareAsync(watched, fail, ct);
            }
        }

        if (fuzzCase.NewMemberId is { } fresh && !(outcome.IsOk && sentId == fresh))
        {
            await CheckNotEnrolledAsync(fresh, fail, ct);
        }
    }

    private static string NewMemberId() => $"fz-{Guid.NewGuid():N}";

    private static string NewRequestId(string kind) => $"{kind}-{Guid.NewGuid():N}";

    private static IEnumerable<PurchaseLine> Basket(Random random)
    {
        string[] categories = ["grocery", "eco", string.Empty];
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            yield return new PurchaseLine
            {
                Sku = $"SKU-{random.Next(1, 1_000)}",
                Category = categories[random.Next(categories.Length)],
                Quantity = random.Next(1, 6),
                AmountFen = random.Next(100, 50_001),
                Promoted = random.Next(4) == 0,
            };
        }
    }

    private PoolMember Pick(Random random) => _pool[random.Next(_pool.Count)];

    private PoolMember? Other(string? memberId, Random random)
    {
        var others = _pool.Where(m => m.Id != memberId).ToList();
        return others.Count == 0 ? null : others[random.Next(others.Count)];
    }

    private async Task<PoolMember> AddMemberAsync(bool withPurchase, CancellationToken ct)
    {
        var member = new PoolMember(NewMemberId());
        var enrol = new EnrollMemberRequest { MemberId = member.Id, RequestId = NewRequestId("enroll") };
        await _pos.EnrollMemberAsync(enrol, cancellationToken: ct);
        member.EnrolmentRequestId = enrol.RequestId;
        _history.Add(new SentRequest("EnrollMember", member.Id, enrol.RequestId, enrol.ToByteArray()));
        _pool.Add(member);
        if (withPurchase)
        {
            await PurchaseAsync(member, ct);
            for (var i = 0; i < 2; i++)
            {
                await ReserveAsync(member, ct);
            }
        }

        _snapshots[member.Id] = await MemberSnapshot.TakeAsync(_pos, _db, member.Id, ct);
        return member;
    }

    private async Task<string> PurchaseAsync(PoolMember member, CancellationToken ct)
    {
        var request = new AccrueRequest
        {
            MemberId = member.Id,
            RequestId = NewRequestId("buy"),
            StoreId = Store,
            TerminalId = Terminal,
            TotalFen = PurchaseFen,
            Lines =
            {
                new PurchaseLine { Sku = "SKU-TV", Category = "electronics", Quantity = 1, AmountFen = PurchaseFen - 10_000 },
                new PurchaseLine { Sku = "SKU-RICE", Category = "grocery", Quantity = 2, AmountFen = 10_000 },
            },
        };
        await _pos.AccrueAsync(request, cancellationToken: ct);
        member.Refundable[request.RequestId] = PurchaseFen;
        _history.Add(new SentRequest("Accrue", member.Id, request.RequestId, request.ToByteArray()));
        return request.RequestId;
    }

    private async Task<(string HoldId, long Points)> ReserveAsync(PoolMember member, CancellationToken ct)
    {
        var request = new ReserveRedemptionRequest { MemberId = member.Id, RequestId = NewRequestId("reserve"), StoreId = Store, TerminalId = Terminal, Points = 5 };
        var response = await _pos.ReserveRedemptionAsync(request, cancellationToken: ct);
        member.OpenHolds.Add((response.HoldId, response.Receipt.Points));
        _history.Add(new SentRequest("ReserveRedemption", member.Id, request.RequestId, request.ToByteArray()));
        return (response.HoldId, response.Receipt.Points);
    }

    private async Task<(string HoldId, long Points)> OpenHoldAsync(PoolMember member, CancellationToken ct)
    {
        if (member.OpenHolds.Count > 0)
        {
            return member.OpenHolds[^1];
        }

        var hold = await ReserveAsync(member, ct);
        _snapshots[member.Id] = await MemberSnapshot.TakeAsync(_pos, _db, member.Id, ct);
        return hold;
    }

    private async Task<string> RefundableAsync(PoolMember member, CancellationToken ct)
    {
        var purchase = member.Refundable.FirstOrDefault(p => p.Value >= 1_000).Key;
        if (purchase is not null)
        {
            return purchase;
        }

        purchase = await PurchaseAsync(member, ct);
        _snapshots[member.Id] = await MemberSnapshot.TakeAsync(_pos, _db, member.Id, ct);
        return purchase;
    }

    private async Task<(PoolMember Member, string Kind)> ActivitySlotAsync(Random random, CancellationToken ct)
    {
        var open = _pool.Where(m => m.ActivitiesLeft.Values.Any(left => left > 0)).ToList();
        var member = open.Count > 0 ? open[random.Next(open.Count)] : await AddMemberAsync(withPurchase: false, ct);
        var kinds = member.ActivitiesLeft.Where(k => k.Value > 0).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
        return (member, kinds[random.Next(kinds.Count)]);
    }

    private void Record(string rpc, FuzzCase fuzzCase, PoolMember member, CallOutcome outcome)
    {
        var request = fuzzCase.Request!;
        if (Wire.Text(request, "request_id") is { Length: > 0 } requestId && fuzzCase.Payload.Length <= MaxRememberedPayload)
        {
            _history.Add(new SentRequest(rpc, member.Id, requestId, fuzzCase.Payload));
        }

        switch (request)
        {
            case AccrueRequest accrue:
                member.Refundable[accrue.RequestId] = accrue.TotalFen;
                break;
            case ReserveRedemptionRequest:
                var reserved = ReserveRedemptionResponse.Parser.ParseFrom(outcome.Reply);
                member.OpenHolds.Add((reserved.HoldId, reserved.Receipt.Points));
                break;
            case CaptureRedemptionRequest capture:
                Close(member, capture.HoldId, captured: true);
                break;
            case ReleaseRedemptionRequest release:
                Close(member, release.HoldId, captured: false);
                break;
            case RefundRequest refund when member.Refundable.TryGetValue(refund.OriginalRequestId, out var left):
                member.Refundable[refund.OriginalRequestId] = refund.AmountFen == 0 ? 0 : Math.Max(0, left - refund.AmountFen);
                break;
            case RecordActivityRequest activity when member.ActivitiesLeft.TryGetValue(activity.Kind, out var left):
                member.ActivitiesLeft[activity.Kind] = Math.Max(0, left - 1);
                break;
        }
    }

    private void Close(PoolMember member, string holdId, bool captured)
    {
        if (member.OpenHolds.RemoveAll(h => h.HoldId == holdId) > 0)
        {
            _closed.Add(new ClosedHold(member.Id, holdId, captured));
        }
    }

    private async Task CompareAsync(string memberId, Action<string> fail, CancellationToken ct)
    {
        if (!_snapshots.TryGetValue(memberId, out var before))
        {
            return;
        }

        MemberSnapshot after;
        try
        {
            after = await MemberSnapshot.TakeAsync(_pos, _db, memberId, ct);
        }
        catch (RpcException e)
        {
            fail($"GetMember {memberId} then failed: {Wire.StatusName(e.StatusCode)} {Show.Text(e.Status.Detail, 120)}");
            return;
        }

        if (after != before)
        {
            fail($"member {memberId} changed: {before.Difference(after)}");
            _snapshots[memberId] = after;
        }
    }

    private async Task CheckNotEnrolledAsync(string memberId, Action<string> fail, CancellationToken ct)
    {
        if (await _db.MemberRowAsync(memberId) is not null || await _db.LedgerCountAsync(memberId) != 0)
        {
            fail($"the member {memberId} the refused enrolment named is in Postgres");
        }

        try
        {
            await _pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: ct);
            fail($"the member {memberId} the refused enrolment named is enrolled");
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // Not enrolled, as it should be.
        }
    }

    private Mutation? UnknownMember(Baseline baseline, Random random)
    {
        var id = NewMemberId();
        Set(baseline.Request, "member_id", id);
        return new Mutation($"member_id := {id} (never enrolled)", Expectation.NotFound("member_id"));
    }

    private Mutation? OtherPoolMember(Baseline baseline, Random random)
    {
        var other = Other(Wire.Text(baseline.Request, "member_id"), random);
        if (other is null)
        {
            return null;
        }

        Set(baseline.Request, "member_id", other.Id);
        return new Mutation($"member_id := another member ({other.Id})", Expectation.Any, AlsoWatched: [other.Id]);
    }

    private Mutation? ReuseRequestId(Baseline baseline, Random random)
    {
        var memberId = Wire.Text(baseline.Request, "member_id");
        var rpc = baseline.Request.Descriptor.Name;
        var earlier = _history.Where(s => s.MemberId == memberId && s.Rpc + "Request" != rpc).ToList();
        if (earlier.Count == 0)
        {
            return null;
        }

        var reused = earlier[random.Next(earlier.Count)];
        Set(baseline.Request, "request_id", reused.RequestId);
        return new Mutation($"request_id := {reused.RequestId} (already used by a {reused.Rpc})", Expectation.Status(StatusCode.AlreadyExists, "request_id"));
    }

    private Mutation? Replay(Baseline baseline, Random random)
    {
        var rpc = baseline.Request.Descriptor.Name;
        var earlier = _history.Where(s => s.Rpc + "Request" == rpc).ToList();
        if (earlier.Count == 0)
        {
            return null;
        }

        var replayed = earlier[random.Next(earlier.Count)];
        return new Mutation($"a retry of the earlier {replayed.Rpc} {replayed.RequestId} (same request_id and payload)", Expectation.Ok, replayed.Payload, ReadOnly: true, AlsoWatched: [replayed.MemberId]);
    }

    private Mutation? ExistingMember(Baseline baseline, Random random)
    {
        var member = Pick(random);
        Set(baseline.Request, "member_id", member.Id);
        return new Mutation($"member_id := {member.Id} (already enrolled), new request_id", Expectation.Status(StatusCode.AlreadyExists, "member_id"), AlsoWatched: [member.Id]);
    }

    private Mutation? ReuseEnrolmentRequestId(Baseline baseline, Random random)
    {
        var member = Pick(random);
        var request = (EnrollMemberRequest)baseline.Request;
        request.MemberId = member.Id;
        request.RequestId = member.EnrolmentRequestId;
        request.Birthday = "1980-01-01";
        return new Mutation($"the enrolment of {member.Id} retried with its request_id but a birthday", Expectation.Status(StatusCode.AlreadyExists, "request_id", "member_id"), AlsoWatched: [member.Id]);
    }

    private Mutation? OddBirthday(Baseline baseline, Random random)
    {
        var (value, valid) = Birthdays[random.Next(Birthdays.Length)];
        ((EnrollMemberRequest)baseline.Request).Birthday = value;
        return new Mutation($"birthday := {Show.Text(value)}", valid ? Expectation.Ok : Expectation.Invalid("birthday"));
    }

    private Mutation? MoreThanAvailable(Baseline baseline, Random random)
    {
        var request = (ReserveRedemptionRequest)baseline.Request;
        if (!_snapshots.TryGetValue(request.MemberId, out var snapshot))
        {
            return null;
        }

        request.Points = snapshot.View.Available + 1 + random.Next(1_000);
        request.BasketFen = 0;
        return new Mutation($"points := {request.Points} (available {snapshot.View.Available})", Expectation.Status(StatusCode.FailedPrecondition, "points"));
    }

    private Mutation? UnknownHold(Baseline baseline, Random random)
    {
        var holdId = $"H1-{HostileText.Alphanumeric(random, 8)}";
        Set(baseline.Request, "hold_id", holdId);
        return new Mutation($"hold_id := {holdId} (no such hold)", Expectation.NotFound("hold_id"));
    }

    private Mutation? OtherMembersHold(Baseline baseline, Random random)
    {
        var memberId = Wire.Text(baseline.Request, "member_id");
        var owners = _pool.Where(m => m.Id != memberId && m.OpenHolds.Count > 0).ToList();
        if (owners.Count == 0)
        {
            return null;
        }

        var owner = owners[random.Next(owners.Count)];
        Set(baseline.Request, "hold_id", owner.OpenHolds[0].HoldId);
        return new Mutation($"hold_id := {owner.OpenHolds[0].HoldId} (a hold of {owner.Id})", Expectation.NotFound("hold_id"), AlsoWatched: [owner.Id]);
    }

    private Mutation? ClosedHoldOfMember(Baseline baseline, Random random)
    {
        var memberId = Wire.Text(baseline.Request, "member_id");
        var closed = _closed.Where(h => h.MemberId == memberId).ToList();
        if (closed.Count == 0)
        {
            return null;
        }

        var hold = closed[random.Next(closed.Count)];
        Set(baseline.Request, "hold_id", hold.HoldId);
        var capture = baseline.Request is CaptureRedemptionRequest;
        var expect = capture ? Expectation.Status(StatusCode.FailedPrecondition, "hold_id")
            : hold.Captured ? Expectation.Any
            : Expectation.Ok;
        return new Mutation($"hold_id := {hold.HoldId} (already {(hold.Captured ? "captured" : "released")})", expect);
    }

    private Mutation? UnknownPurchase(Baseline baseline, Random random)
    {
        var id = NewRequestId("never-bought");
        Set(baseline.Request, "original_request_id", id);
        return new Mutation($"original_request_id := {id} (no such purchase)", Expectation.NotFound("original_request_id"));
    }

    private Mutation? NotAPurchase(Baseline baseline, Random random)
    {
        var member = _pool.Find(m => m.Id == Wire.Text(baseline.Request, "member_id"));
        if (member is null)
        {
            return null;
        }

        Set(baseline.Request, "original_request_id", member.EnrolmentRequestId);
        return new Mutation($"original_request_id := {member.EnrolmentRequestId} (the enrolment, not a purchase)", Expectation.NotFound("original_request_id"));
    }

    private Mutation? UnknownKind(Baseline baseline, Random random)
    {
        string[] kinds = ["teleport", "签到", "checkin", "check-in"];
        var kind = kinds[random.Next(kinds.Length)];
        Set(baseline.Request, "kind", kind);
        return new Mutation($"kind := {Show.Text(kind)} (not one of the program's)", Expectation.Invalid("kind"));
    }

    private Mutation? UsedUpKind(Baseline baseline, Random random)
    {
        var member = _pool.Find(m => m.Id == Wire.Text(baseline.Request, "member_id"));
        var used = member?.ActivitiesLeft.Where(k => k.Value == 0).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
        if (used is not { Count: > 0 })
        {
            return null;
        }

        var kind = used[random.Next(used.Count)];
        Set(baseline.Request, "kind", kind);
        return new Mutation($"kind := {kind} (its limit is reached)", Expectation.Status(StatusCode.FailedPrecondition, "kind"));
    }

    private static void Set(IMessage request, string field, string value) => request.Descriptor.FindFieldByName(field).Accessor.SetValue(request, value);

    private sealed class PoolMember(string id)
    {
        public string Id { get; } = id;

        public string EnrolmentRequestId { get; set; } = string.Empty;

        public List<(string HoldId, long Points)> OpenHolds { get; } = [];

        public Dictionary<string, long> Refundable { get; } = [];

        public Dictionary<string, int> ActivitiesLeft { get; } = new(ActivityQuota);
    }

    private sealed record SentRequest(string Rpc, string MemberId, string RequestId, byte[] Payload);

    private sealed record ClosedHold(string MemberId, string HoldId, bool Captured);
}
