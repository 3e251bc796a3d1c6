using System.Diagnostics;
using System.Globalization;
using MemberGrains.LoadTests.Workload;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// One caller: drives its own members one request at a time and only sends requests its model of
/// the member says must succeed — Accrue; ReserveRedemption of points the member has available
/// (a multiple of 100 worth at most half the basket) then CaptureRedemption or ReleaseRedemption of
/// that hold; a Refund of half of an acknowledged purchase, keeping refunds under 30 % of the
/// spend; a check-in once per store-local day. A refusal is therefore a wrong answer: recorded,
/// then the member is read again. Balances come from the acknowledged receipts only.
/// </summary>
internal sealed class DrillCaller
{
    /// <summary>Staff id sent with every capture: a hold the risk rules sent to review needs one, other holds ignore it.</summary>
    public const string Approver = "drill-staff";

    private static readonly string[] Categories = ["grocery", "fresh", "eco", "household", "dairy"];
    private readonly IReadOnlyList<DrillMember> _members;
    private readonly DrillClients _clients;
    private readonly RequestIds _ids;
    private readonly DrillOptions _options;
    private readonly TimeZoneInfo _zone;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private int _nextMember;
    private int _nextSilo;
    private long _lastSuccess;

    public DrillCaller(int index, IReadOnlyList<DrillMember> members, DrillClients clients, RequestIds ids, DrillOptions options, TimeZoneInfo zone, TimeProvider time)
    {
        _members = members;
        _clients = clients;
        _ids = ids;
        _options = options;
        _zone = zone;
        _time = time;
        _random = new Random(HashCode.Combine(options.Seed, index));
        _nextSilo = index % clients.Count;
    }

    /// <summary>When this caller last had a request acknowledged (Stopwatch timestamp).</summary>
    public long LastSuccessAt => Volatile.Read(ref _lastSuccess);

    /// <summary>Enrols the caller's members (each with a request id of its own, retried like any other request).</summary>
    public async Task EnrolAsync(DrillStats stats, CancellationToken cancellationToken)
    {
        foreach (var member in _members)
        {
            var requestId = string.Create(CultureInfo.InvariantCulture, $"{_ids.Prefix}e{member.Index}");
            var request = new EnrollMemberRequest { MemberId = member.Id, RequestId = requestId, HomeStoreId = member.Store, MarketingConsent = true };
            var outcome = await CallAsync(stats, member, "EnrollMember", NextSilo(), (c, o) => c.EnrollMemberAsync(request, o), cancellationToken);
            if (await SettleAsync(stats, member, outcome, "EnrollMember", requestId, MutationKind.Enroll, r => r.Receipt, cancellationToken))
            {
                member.Uncertain = false;
            }
        }
    }

    /// <summary>Steps through the caller's members until <paramref name="stop"/>; <paramref name="abort"/> cancels calls in flight.</summary>
    public async Task RunAsync(DrillStats stats, CancellationToken stop, CancellationToken abort)
    {
        while (!stop.IsCancellationRequested)
        {
            var member = _members[_nextMember++ % _members.Count];
            await StepAsync(stats, member, abort);
            if (_options.Pause > TimeSpan.Zero)
            {
                await Task.Delay(_options.Pause, abort);
            }
        }
    }

    private async Task StepAsync(DrillStats stats, DrillMember member, CancellationToken cancellationToken)
    {
        if (member.Uncertain && !await ResyncAsync(stats, member, cancellationToken))
        {
            return;
        }

        var local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _zone);
        var day = DateOnly.FromDateTime(local.DateTime).DayNumber;
        var secondsIntoDay = local.TimeOfDay.TotalSeconds;
        // One check-in per store-local day; none in the minute around midnight (the server's day might differ).
        if (member.CheckInDay != day && secondsIntoDay > 60 && secondsIntoDay < 86_340)
        {
            member.CheckInDay = day;
            await CheckInAsync(stats, member, cancellationToken);
            return;
        }

        var dice = _random.NextDouble();
        if (dice < 0.18 && member.Available >= 100)
        {
            await RedeemAsync(stats, member, capture: _random.NextDouble() < 0.8, cancellationToken);
        }
        else if (dice < 0.28 && member.Refundable(_random) is { } refund)
        {
            await RefundAsync(stats, member, refund.Purchase, refund.AmountFen, cancellationToken);
        }
        else
        {
            await AccrueAsync(stats, member, cancellationToken);
        }
    }

    private async Task AccrueAsync(DrillStats stats, DrillMember member, CancellationToken cancellationToken)
    {
        var requestId = _ids.Next(MutationKind.Accrue);
        var request = new AccrueRequest { MemberId = member.Id, RequestId = requestId, StoreId = member.Store, TerminalId = Till() };
        request.Lines.AddRange(Basket());
        request.TotalFen = request.Lines.Sum(l => l.AmountFen);
        var outcome = await CallAsync(stats, member, "Accrue", NextSilo(), (c, o) => c.AccrueAsync(request, o), cancellationToken);
        if (await SettleAsync(stats, member, outcome, "Accrue", requestId, MutationKind.Accrue, r => r.Receipt, cancellationToken))
        {
            member.Purchases.Add(new DrillPurchase(requestId, request.TotalFen));
            member.SpentFen += request.TotalFen;
        }
    }

    private async Task RedeemAsync(DrillStats stats, DrillMember member, bool capture, CancellationToken cancellationToken)
    {
        var points = 100 * (1 + _random.Next((int)Math.Min(member.Available / 100, 30)));
        var reserveId = _ids.Next(MutationKind.Reserve);
        var till = Till();
        // Points are worth 1 fen each in the default program and may pay at most half the basket.
        var reserve = new ReserveRedemptionRequest { MemberId = member.Id, RequestId = reserveId, StoreId = member.Store, TerminalId = till, Points = points, BasketFen = (points * 2) + 1_000 + _random.Next(20_000) };
        var reserved = await CallAsync(stats, member, "ReserveRedemption", NextSilo(), (c, o) => c.ReserveRedemptionAsync(reserve, o), cancellationToken);
        if (!await SettleAsync(stats, member, reserved, "ReserveRedemption", reserveId, MutationKind.Reserve, r => r.Receipt, cancellationToken))
        {
            return;
        }

        var holdId = reserved.Reply!.HoldId;
        // The sigterm drill sends the capture through another silo than the one that answered the reservation, on purpose.
        var silo = stats.CaptureElsewhere ? (reserved.Silo + 1) % _clients.Count : NextSilo();
        if (capture)
        {
            var captureId = _ids.Next(MutationKind.Capture);
            var request = new CaptureRedemptionRequest { MemberId = member.Id, RequestId = captureId, StoreId = member.Store, TerminalId = till, HoldId = holdId, ApprovedBy = Approver };
            var outcome = await CallAsync(stats, member, "CaptureRedemption", silo, (c, o) => c.CaptureRedemptionAsync(request, o), cancellationToken);
            await SettleAsync(stats, member, outcome, "CaptureRedemption", captureId, MutationKind.Capture, r => r.Receipt, cancellationToken);
        }
        else
        {
            var releaseId = _ids.Next(MutationKind.Release);
            var request = new ReleaseRedemptionRequest { MemberId = member.Id, RequestId = releaseId, StoreId = member.Store, TerminalId = till, HoldId = holdId };
            var outcome = await CallAsync(stats, member, "ReleaseRedemption", silo, (c, o) => c.ReleaseRedemptionAsync(request, o), cancellationToken);
            await SettleAsync(stats, member, outcome, "ReleaseRedemption", releaseId, MutationKind.Release, r => r.Receipt, cancellationToken);
        }
    }

    private async Task RefundAsync(DrillStats stats, DrillMember member, DrillPurchase purchase, long amountFen, CancellationToken cancellationToken)
    {
        // Counted before the answer: a refund of unknown outcome may have happened, and is never sent again.
        purchase.RefundSent = true;
        member.RefundedFen += amountFen;
        var requestId = _ids.Next(MutationKind.Refund);
        var request = new RefundRequest { MemberId = member.Id, RequestId = requestId, StoreId = member.Store, TerminalId = Till(), OriginalRequestId = purchase.RequestId, AmountFen = amountFen };
        var outcome = await CallAsync(stats, member, "Refund", NextSilo(), (c, o) => c.RefundAsync(request, o), cancellationToken);
        await SettleAsync(stats, member, outcome, "Refund", requestId, MutationKind.Refund, r => r.Receipt, cancellationToken);
    }

    private async Task CheckInAsync(DrillStats stats, DrillMember member, CancellationToken cancellationToken)
    {
        var requestId = _ids.Next(MutationKind.Activity);
        var request = new RecordActivityRequest { MemberId = member.Id, RequestId = requestId, StoreId = member.Store, TerminalId = "APP", Kind = "check_in" };
        var outcome = await CallAsync(stats, member, "RecordActivity", NextSilo(), (c, o) => c.RecordActivityAsync(request, o), cancellationToken);
        await SettleAsync(stats, member, outcome, "RecordActivity", requestId, MutationKind.Activity, r => r.Receipt, cancellationToken);
    }

    /// <summary>Reads the member (GetMember, retried like any request) into the model; false when it could not be read.</summary>
    private async Task<bool> ResyncAsync(DrillStats stats, DrillMember member, CancellationToken cancellationToken)
    {
        var request = new GetMemberRequest { MemberId = member.Id };
        var outcome = await CallAsync(stats, member, "GetMember", NextSilo(), (c, o) => c.GetMemberAsync(request, o), cancellationToken);
        if (!outcome.Ok)
        {
            return false;
        }

        member.Balance = outcome.Reply!.Balance;
        member.Available = outcome.Reply.Available;
        member.Uncertain = false;
        Volatile.Write(ref _lastSuccess, Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>Books an outcome into the model and the drill's records; true when acknowledged.</summary>
    private async Task<bool> SettleAsync<T>(DrillStats stats, DrillMember member, CallOutcome<T> outcome, string operation, string requestId, MutationKind kind, Func<T, Receipt> receiptOf, CancellationToken cancellationToken)
        where T : class
    {
        switch (outcome.Verdict)
        {
            case CallVerdict.Ok:
                var receipt = receiptOf(outcome.Reply!);
                member.Balance = receipt.Balance;
                member.Available = receipt.Available;
                stats.Record(new DrillRecord(member.Id, requestId, kind, receipt.Points, MutationOutcome.Acknowledged), receipt.Replayed);
                Volatile.Write(ref _lastSuccess, Stopwatch.GetTimestamp());
                return true;
            case CallVerdict.Refused:
                stats.Wrong(new WrongAnswer(stats.Label, member.Id, operation, requestId, outcome.Code, outcome.Detail, _clients.Addresses[outcome.Silo].ToString(), outcome.Attempts));
                stats.Record(new DrillRecord(member.Id, requestId, kind, 0, MutationOutcome.Failed));
                member.Uncertain = true;
                await ResyncAsync(stats, member, cancellationToken);
                return false;
            default:
                stats.Record(new DrillRecord(member.Id, requestId, kind, 0, MutationOutcome.Unknown));
                member.Uncertain = true;
                return false;
        }
    }

    private Task<CallOutcome<T>> CallAsync<T>(DrillStats stats, DrillMember member, string operation, int silo, Func<PointOfSale.PointOfSaleClient, Grpc.Core.CallOptions, Grpc.Core.AsyncUnaryCall<T>> send, CancellationToken cancellationToken)
        where T : class =>
        RetryingCall.RunAsync(_clients, stats, member.Index, operation, silo, _options.RetryBound, _random, send, cancellationToken);

    private int NextSilo() => _nextSilo++ % _clients.Count;

    private string Till() => string.Create(CultureInfo.InvariantCulture, $"T{1 + _random.Next(8):D2}");

    /// <summary>1–3 lines of 2–50 CNY (mostly cheap); one basket in ten also has a 180–320 CNY line (the 200 CNY bonus). About 40 CNY on average.</summary>
    private PurchaseLine[] Basket()
    {
        var count = 1 + _random.Next(3);
        var lines = new PurchaseLine[count + (_random.Next(10) == 0 ? 1 : 0)];
        for (var i = 0; i < lines.Length; i++)
        {
            var u = _random.NextDouble();
            var amount = i < count ? 200 + (long)(u * u * 4_800) : 18_000 + _random.Next(14_000);
            lines[i] = new PurchaseLine
            {
                Sku = string.Create(CultureInfo.InvariantCulture, $"SKU-{_random.Next(500):D4}"),
                Category = Categories[_random.Next(Categories.Length)],
                Quantity = 1,
                AmountFen = amount,
            };
        }

        return lines;
    }
}
