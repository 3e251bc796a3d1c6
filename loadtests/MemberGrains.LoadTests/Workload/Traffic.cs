using System.Diagnostics;
using Grpc.Core;
using MemberGrains.Domain.Rules;
using MemberGrains.LoadTests.Measurement;
using MemberGrains.LoadTests.Population;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// The calls and sessions the phases are made of, over the run's members and client. Every call is
/// timed from the moment it was meant to start; every mutation is logged with its outcome.
/// </summary>
internal sealed class Traffic(
    LoadClient client,
    MemberDirectory members,
    ZipfSampler popularity,
    MemberTracker tracker,
    BasketMaker baskets,
    ProgramRules program,
    MutationLog log,
    TimeProvider time)
{
    /// <summary>Share of checkouts that pay with points (reserve, then capture or release).</summary>
    public const double RedeemShare = 0.10;

    /// <summary>Share of the redemptions that are released instead of captured (2 % of checkouts).</summary>
    public const double ReleaseShareOfRedemptions = 0.20;

    /// <summary>Share of checkouts followed by a refund of an earlier purchase.</summary>
    public const double RefundShare = 0.02;

    /// <summary>Share of checkouts followed by a behaviour activity (check-in, review …).</summary>
    public const double ActivityShare = 0.05;

    /// <summary>Share of checkouts at the member's home store.</summary>
    public const double HomeStoreShare = 0.80;

    /// <summary>The staff id a till sends when a redemption was decided REVIEW.</summary>
    public const string Approver = "lt-staff-1";

    private readonly RequestIds _ids = new(members.Prefix);
    private readonly WatchRegistry _watches = new(members.Count);

    public LoadClient Client => client;

    public MemberDirectory Members => members;

    public ZipfSampler Popularity => popularity;

    public MutationLog Log => log;

    public MemberTracker Tracker => tracker;

    public ProgramRules Program => program;

    public BasketMaker Baskets => baskets;

    /// <summary>The members screens watch now; every mutation below is reported to it.</summary>
    public WatchRegistry Watches => _watches;

    public Task<CallResult<PingReply>> PingAsync(OpRecorder recorder, long start, CancellationToken cancellationToken) =>
        Calls.TimeAsync(recorder, start, client.Diagnostics.PingAsync(new PingRequest(), client.Options(cancellationToken)));

    /// <summary>The empty call through a member's grain (Diagnostics/PingMember): the gRPC pipeline and the Orleans hop.</summary>
    public Task<CallResult<PingMemberReply>> PingMemberAsync(OpRecorder recorder, int member, long start, CancellationToken cancellationToken) =>
        Calls.TimeAsync(recorder, start, client.Diagnostics.PingMemberAsync(new PingMemberRequest { MemberId = members.IdOf(member) }, client.Options(cancellationToken)));

    public Task<CallResult<Member>> GetMemberAsync(OpRecorder recorder, int member, long start, CancellationToken cancellationToken) =>
        Calls.TimeAsync(recorder, start, client.Pos.GetMemberAsync(new GetMemberRequest { MemberId = members.IdOf(member) }, client.Options(cancellationToken)));

    /// <summary>A store screen's view of a member (StoreScreen/GetMemberView) at <paramref name="store"/>.</summary>
    public Task<CallResult<MemberView>> ScreenViewAsync(OpRecorder recorder, int member, string store, long start, CancellationToken cancellationToken) =>
        Calls.TimeAsync(recorder, start, client.Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = members.IdOf(member), StoreId = store }, client.Options(cancellationToken)));

    public Task<CallResult<QuoteCheckoutResponse>> QuoteAsync(OpRecorder recorder, int member, string store, Basket basket, long start, CancellationToken cancellationToken)
    {
        var request = new QuoteCheckoutRequest { MemberId = members.IdOf(member), StoreId = store, TotalFen = basket.TotalFen };
        request.Lines.AddRange(basket.Lines);
        return Calls.TimeAsync(recorder, start, client.Pos.QuoteCheckoutAsync(request, client.Options(cancellationToken)));
    }

    /// <summary>A new request id of the run for <paramref name="kind"/>.</summary>
    public string NextRequestId(MutationKind kind) => _ids.Next(kind);

    /// <summary>A purchase; <paramref name="occurredAt"/> sends it as a checkout made then (sent late), null: now.</summary>
    public async Task<CallResult<AccrueResponse>> AccrueAsync(OpRecorder recorder, int member, string store, string till, Basket basket, long start, CancellationToken cancellationToken, string? requestId = null, DateTimeOffset? occurredAt = null)
    {
        requestId ??= _ids.Next(MutationKind.Accrue);
        var request = new AccrueRequest { MemberId = members.IdOf(member), RequestId = requestId, StoreId = store, TerminalId = till, TotalFen = basket.TotalFen };
        if (occurredAt is { } at)
        {
            request.OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at);
        }

        request.Lines.AddRange(basket.Lines);
        var result = await ChangeAsync(recorder, member, requestId, MutationKind.Accrue, start, options => client.Pos.AccrueAsync(request, options), r => r.Receipt, cancellationToken);
        if (result.Ok)
        {
            // What can be refunded is what the member paid: the basket less the offers' discounts
            // (a refund of the gross total is refused, rightly, when an offer applied).
            var paid = basket.TotalFen - (result.Reply?.Receipt?.DiscountFen ?? 0);
            tracker.Accrued(new AccrualRef(member, requestId, paid, Math.Min(basket.Lines[0].AmountFen, paid)));
        }

        return result;
    }

    /// <summary>A random store for a member: usually the home store.</summary>
    public string StoreFor(int member, Random random) =>
        Stores.StoreId(random.NextDouble() < HomeStoreShare ? members.HomeStoreOf(member) : 1 + random.Next(members.StoreCount));

    public static string TillFor(Random random) => Stores.TillId(1 + random.Next(Stores.Tills));

    /// <summary>
    /// A member's checkout at <paramref name="store"/>: QuoteCheckout → (10 %: Reserve → Capture, or
    /// Release) → Accrue; then 2 % refund an earlier purchase and 5 % record an activity. The first
    /// call is timed from <paramref name="arrival"/>, each later call from the previous call's
    /// completion. A failed call ends the session (a till would stop there too).
    /// </summary>
    public async Task CheckoutAsync(PhaseMeter meter, int member, string store, Basket basket, long arrival, Random random, CancellationToken cancellationToken)
    {
        var till = TillFor(random);
        var redeem = random.NextDouble() < RedeemShare && tracker.TryLock(member);
        try
        {
            var quote = await QuoteAsync(meter[Ops.Quote], member, store, basket, arrival, cancellationToken);
            if (!quote.Ok)
            {
                return;
            }

            var last = quote.CompletedAt;
            var max = quote.Reply!.MaxRedeemablePoints;
            var step = program.Redemption.StepPoints;
            if (redeem && max >= program.Redemption.MinimumPoints && quote.Reply.Decision != Decision.Decline)
            {
                // Tender a random valid amount up to the most the basket allows.
                var points = Math.Max(program.Redemption.MinimumPoints, (max - (random.Next((int)Math.Min(10, max / step)) * step)) / step * step);
                var capture = random.NextDouble() >= ReleaseShareOfRedemptions;
                var done = await RedeemAsync(meter, member, store, till, points, basket.TotalFen, capture, last, cancellationToken);
                if (done is null)
                {
                    return;
                }

                last = done.Value;
            }

            var accrue = await AccrueAsync(meter[Ops.Accrue], member, store, till, basket, last, cancellationToken);
            if (!accrue.Ok)
            {
                return;
            }

            last = accrue.CompletedAt;
            if (random.NextDouble() < ActivityShare && tracker.TryActivity(member, time.GetUtcNow(), random) is { } kind)
            {
                await ActivityAsync(meter[Ops.Activity], member, store, till, kind, last, cancellationToken);
            }
        }
        finally
        {
            if (redeem)
            {
                tracker.Unlock(member);
            }
        }

        if (random.NextDouble() < RefundShare)
        {
            await RefundAsync(meter[Ops.Refund], random, Stopwatch.GetTimestamp(), cancellationToken);
        }
    }

    /// <summary>Reserve then capture (or release); returns when the last call completed, null if one failed.</summary>
    public async Task<long?> RedeemAsync(PhaseMeter meter, int member, string store, string till, long points, long basketFen, bool capture, long start, CancellationToken cancellationToken)
    {
        var memberId = members.IdOf(member);
        var reserveId = _ids.Next(MutationKind.Reserve);
        var reserveRequest = new ReserveRedemptionRequest { MemberId = memberId, RequestId = reserveId, StoreId = store, TerminalId = till, Points = points, BasketFen = basketFen };
        var reserve = await ChangeAsync(meter[Ops.Reserve], member, reserveId, MutationKind.Reserve, start, options => client.Pos.ReserveRedemptionAsync(reserveRequest, options), r => r.Receipt, cancellationToken);
        if (!reserve.Ok)
        {
            return null;
        }

        var holdId = reserve.Reply!.HoldId;
        if (capture)
        {
            var captureId = _ids.Next(MutationKind.Capture);
            var request = new CaptureRedemptionRequest { MemberId = memberId, RequestId = captureId, StoreId = store, TerminalId = till, HoldId = holdId };
            if (reserve.Reply.Receipt.Decision == Decision.Review)
            {
                request.ApprovedBy = Approver;
            }

            var done = await ChangeAsync(meter[Ops.Capture], member, captureId, MutationKind.Capture, reserve.CompletedAt, options => client.Pos.CaptureRedemptionAsync(request, options), r => r.Receipt, cancellationToken);
            return done.Ok ? done.CompletedAt : null;
        }

        var releaseId = _ids.Next(MutationKind.Release);
        var releaseRequest = new ReleaseRedemptionRequest { MemberId = memberId, RequestId = releaseId, StoreId = store, TerminalId = till, HoldId = holdId };
        var release = await ChangeAsync(meter[Ops.Release], member, releaseId, MutationKind.Release, reserve.CompletedAt, options => client.Pos.ReleaseRedemptionAsync(releaseRequest, options), r => r.Receipt, cancellationToken);
        return release.Ok ? release.CompletedAt : null;
    }

    /// <summary>Refunds (part of) an earlier acknowledged accrual, if one can be refunded safely now.</summary>
    public async Task RefundAsync(OpRecorder recorder, Random random, long start, CancellationToken cancellationToken)
    {
        if (tracker.TakeRefund(random) is not var (accrual, amount))
        {
            return;
        }

        try
        {
            await RefundAsync(recorder, accrual.Member, accrual.RequestId, amount, StoreFor(accrual.Member, random), TillFor(random), start, cancellationToken);
        }
        finally
        {
            tracker.Unlock(accrual.Member);
        }
    }

    public async Task<CallResult<RefundResponse>> RefundAsync(OpRecorder recorder, int member, string originalRequestId, long amountFen, string store, string till, long start, CancellationToken cancellationToken)
    {
        var requestId = _ids.Next(MutationKind.Refund);
        var request = new RefundRequest { MemberId = members.IdOf(member), RequestId = requestId, StoreId = store, TerminalId = till, OriginalRequestId = originalRequestId, AmountFen = amountFen };
        return await ChangeAsync(recorder, member, requestId, MutationKind.Refund, start, options => client.Pos.RefundAsync(request, options), r => r.Receipt, cancellationToken);
    }

    public async Task ActivityAsync(OpRecorder recorder, int member, string store, string till, string kind, long start, CancellationToken cancellationToken)
    {
        var requestId = _ids.Next(MutationKind.Activity);
        var request = new RecordActivityRequest { MemberId = members.IdOf(member), RequestId = requestId, StoreId = store, TerminalId = till, Kind = kind };
        await ChangeAsync(recorder, member, requestId, MutationKind.Activity, start, options => client.Pos.RecordActivityAsync(request, options), r => r.Receipt, cancellationToken);
    }

    /// <summary>
    /// Sends a mutation of <paramref name="member"/>, times it, logs its outcome for verification and
    /// tells the watch of the member, if a screen watches it, when it was sent and what it answered.
    /// </summary>
    private async Task<CallResult<T>> ChangeAsync<T>(
        OpRecorder recorder,
        int member,
        string requestId,
        MutationKind kind,
        long start,
        Func<CallOptions, AsyncUnaryCall<T>> send,
        Func<T, Receipt> receipt,
        CancellationToken cancellationToken)
        where T : class
    {
        var ticket = _watches.Sending(member, kind == MutationKind.Accrue);
        var state = ChangeState.Unknown;
        var answeredAt = Stopwatch.GetTimestamp();
        Receipt? answer = null;
        try
        {
            var result = await Calls.TimeAsync(recorder, start, send(client.Options(cancellationToken)));
            log.Record(member, requestId, kind, result, r => (receipt(r).Points, receipt(r).Replayed));
            answeredAt = result.CompletedAt;
            answer = result.Reply is { } reply ? receipt(reply) : null;
            state = result.Ok ? ChangeState.Applied : MutationLog.IsUnknown(result.Code, result.Detail) ? ChangeState.Unknown : ChangeState.Refused;
            return result;
        }
        finally
        {
            _watches.Answered(ticket, state, answeredAt, answer);
        }
    }
}
