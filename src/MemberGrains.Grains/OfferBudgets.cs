using System.Collections.Concurrent;
using MemberGrains.Abstractions.Grains;
using MemberGrains.Domain.Offers;
using MemberGrains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace MemberGrains.Grains;

/// <summary>
/// This silo's share of the cluster's campaign budgets: per offer, the leases the coordinator
/// (<see cref="ICampaignBudgetGrain"/>) granted it. <see cref="Take"/> and <see cref="CanTake"/>
/// answer from memory (lock-free, no awaits), inside a member's synchronous mutation step.
/// <para>
/// The contract with the member grain, for every token <see cref="Take"/> returned: write it with
/// the use (<see cref="OfferUseRow.LeaseId"/>, see <see cref="OfferLeaseToken"/>), then after the
/// commit call exactly one of <see cref="Committed"/> (also when the outcome is unknown) or
/// <see cref="NotCommitted"/>. A commit refused with <see cref="OfferLeaseClosedException"/> is
/// reported with <see cref="LeasesClosed"/> too, and the request decided again. Before a mutation
/// that may take budget, the grain may await <see cref="PrepareAsync"/> so a cold silo has a lease.
/// </para>
/// <para>
/// A lease is used until a margin before it expires. When it runs low (or nears its end) the next
/// one is requested in the background; a lease that is over is returned once no change using it
/// is still being committed, so its unused rest is available to every silo again. A stopping silo
/// returns what it holds; a crashed silo's leases lapse and the coordinator reclaims them.
/// </para>
/// </summary>
public sealed partial class OfferBudgets : IOfferBudget, IHostedLifecycleService, IDisposable
{
    private const int Running = 0;
    private const int Stopping = 1;
    private const int Stopped = 2;

    private readonly IGrainFactory _grains;
    private readonly OfferBudgetRepository _repository;
    private readonly IServiceProvider _services;
    private readonly TimeProvider _time;
    private readonly OfferBudgetOptions _options;
    private readonly ILogger<OfferBudgets> _logger;
    private readonly ConcurrentDictionary<string, Slot> _offers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lease> _leases = new(StringComparer.Ordinal);
    private readonly Lock _timerLock = new();

    // Durations in timestamp ticks of the budget clock.
    private readonly long _margin;
    private readonly long _recheck;
    private readonly long _grace;
    private readonly long _retryAfterFailure;
    private readonly long _recentUse;

    private ITimer? _timer;
    private int _state;
    private string? _silo;
    private int _failing;

    // Uses taken and not yet settled, across all leases; a graceful stop waits for it to reach 0.
    private long _inFlight;
    private TaskCompletionSource? _drained;

    public OfferBudgets(
        IGrainFactory grains,
        OfferBudgetRepository repository,
        IServiceProvider services,
        BudgetClock clock,
        IOptions<OfferBudgetOptions> options,
        ILogger<OfferBudgets> logger)
    {
        _grains = grains;
        _repository = repository;
        _services = services;
        _time = clock.Time;
        _options = options.Value;
        _logger = logger;
        var lease = Math.Max(1, _options.LeaseSeconds);
        _margin = Ticks(Math.Clamp(_options.MarginSeconds, 0, lease / 3));
        _recheck = Ticks(Math.Max(0.1, _options.RecheckSeconds));
        _grace = Ticks(Math.Max(0, _options.GraceSeconds));
        _retryAfterFailure = Ticks(1);
        _recentUse = Ticks(lease);
    }

    /// <summary>The name leases are granted to: this silo's address, or a name unique to this process's instance.</summary>
    private string SiloName => _silo ??=
        _services.GetService<ILocalSiloDetails>()?.SiloAddress.ToString() ?? $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    private TimeSpan LowWaterTime(TimeSpan duration) => duration * Math.Clamp(_options.LowWater, 0, 1);

    /// <inheritdoc/>
    public bool CanTake(string offerId, long amount)
    {
        if (Volatile.Read(ref _state) == Stopped)
        {
            return false;
        }

        var slot = SlotOf(offerId);
        var now = _time.GetTimestamp();
        foreach (var lease in Volatile.Read(ref slot.Leases))
        {
            if (now < lease.UseUntil && Volatile.Read(ref lease.Retired) == 0 && Volatile.Read(ref lease.Remaining) >= amount)
            {
                return true;
            }
        }

        var knownAt = Volatile.Read(ref slot.KnownAt);
        if (knownAt == long.MinValue || now - knownAt >= _recheck)
        {
            LookUp(slot, now);
        }

        // Never asked yet: say yes (the take at checkout decides); otherwise what the coordinator last said was left.
        return knownAt == long.MinValue || Volatile.Read(ref slot.KnownAvailable) >= amount;
    }

    /// <inheritdoc/>
    public string? Take(string offerId, long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        if (Volatile.Read(ref _state) == Stopped)
        {
            return null;
        }

        var slot = SlotOf(offerId);
        var now = _time.GetTimestamp();
        Volatile.Write(ref slot.LastUsed, now);
        foreach (var lease in Volatile.Read(ref slot.Leases))
        {
            if (now >= lease.UseUntil)
            {
                Retire(lease);
                continue;
            }

            if (TryTake(lease, amount))
            {
                if (Volatile.Read(ref lease.Remaining) <= lease.LowWater || now >= lease.RefreshAt)
                {
                    RequestLease(slot, now);
                }

                return lease.Token;
            }
        }

        RaiseWanted(slot, amount);
        RequestLease(slot, now);
        return null;
    }

    /// <summary>
    /// After a <see cref="Take"/> of <paramref name="amount"/> found no units at hand: whether more
    /// may still be had — the coordinator has not answered yet, or last said at least that much is
    /// available (a new lease is on its way). False once it said the budget is spent or parked.
    /// </summary>
    public bool MayHaveMore(string offerId, long amount)
    {
        if (Volatile.Read(ref _state) == Stopped)
        {
            return false;
        }

        var slot = SlotOf(offerId);
        return Volatile.Read(ref slot.KnownAt) == long.MinValue || Volatile.Read(ref slot.KnownAvailable) >= amount;
    }

    /// <summary>The use that took <paramref name="amount"/> with <paramref name="token"/> was committed (or its outcome is unknown): it stays spent.</summary>
    public void Committed(string? token, long amount)
    {
        if (token is not null && _leases.TryGetValue(token, out var lease))
        {
            Interlocked.Add(ref lease.Settled, amount);
            Release(lease);
        }
    }

    /// <summary>The use that took <paramref name="amount"/> with <paramref name="token"/> was not committed: the units go back to the lease if it is still in use.</summary>
    public void NotCommitted(string? token, long amount)
    {
        if (token is not null && _leases.TryGetValue(token, out var lease))
        {
            if (Volatile.Read(ref lease.Retired) == 0)
            {
                Interlocked.Add(ref lease.Remaining, amount);
            }

            Release(lease);
        }
    }

    /// <summary>
    /// The store refused a write because these leases are closed (<see cref="OfferLeaseClosedException.LeaseIds"/>):
    /// reclaimed after they lapsed here, or revoked by a lowered total. They are not used again; a new one is requested.
    /// </summary>
    public void LeasesClosed(IEnumerable<long> leaseIds)
    {
        ArgumentNullException.ThrowIfNull(leaseIds);
        var now = _time.GetTimestamp();
        foreach (var id in leaseIds)
        {
            if (_leases.TryGetValue(OfferLeaseToken.Format(id), out var lease))
            {
                LogLeaseClosedElsewhere(_logger, lease.Slot.OfferId, lease.Id);
                Volatile.Write(ref lease.Closed, 1);
                Interlocked.Exchange(ref lease.Closing, 1);
                Retire(lease);

                // Kept until its other uses in flight have settled (the housekeeping tick drops it then).
                RequestLease(lease.Slot, now);
            }
        }
    }

    /// <summary>
    /// Makes sure this silo holds a usable lease for each offer that still has budget, so the
    /// next <see cref="Take"/> finds one: returns at once when it does (or the offers are known to
    /// be exhausted), else waits for the lease requests, at most
    /// <see cref="OfferBudgetOptions.PrepareTimeoutSeconds"/>.
    /// </summary>
    public async Task PrepareAsync(IEnumerable<string> offerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offerIds);
        List<Task>? requests = null;
        var now = _time.GetTimestamp();
        foreach (var offerId in offerIds)
        {
            var slot = SlotOf(offerId);
            Volatile.Write(ref slot.LastUsed, now);
            if (!HasUsableLease(slot, now) && RequestLease(slot, now) is { } request)
            {
                (requests ??= []).Add(request);
            }
        }

        if (requests is null)
        {
            return;
        }

        try
        {
            await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(Math.Max(0, _options.PrepareTimeoutSeconds)), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogPrepareTimedOut(_logger, requests.Count);
        }
    }

    /// <summary>Units left in the leases this silo holds for the offer (usable or not); for diagnostics and tests.</summary>
    public long HeldRemaining(string offerId) =>
        _offers.TryGetValue(offerId, out var slot) ? Volatile.Read(ref slot.Leases).Sum(l => Volatile.Read(ref l.Remaining)) : 0;

    /// <summary>Leases this silo holds that are not yet closed (in use, or waiting for their uses to settle).</summary>
    public int OpenLeaseCount => _leases.Count;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Before the silo stops: no new leases from now on (held ones are still used while members
    /// finish). A stop whose token is already cancelled is a kill: nothing is returned.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Kill();
        }
        else
        {
            Interlocked.CompareExchange(ref _state, Stopping, Running);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// After the silo stopped (its members are gone): waits for uses still being committed, then
    /// closes every lease held, straight in Postgres (the coordinator may be on a silo that is gone
    /// too), so their unused rest is available to the other silos at once.
    /// </summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _state, Stopped) == Stopped || cancellationToken.IsCancellationRequested)
        {
            Kill();
            return;
        }

        StopTimer();
        var leases = _leases.Values.ToList();
        foreach (var lease in leases)
        {
            Retire(lease);
        }

        if (Interlocked.Read(ref _inFlight) > 0)
        {
            var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _drained, drained);
            if (Interlocked.Read(ref _inFlight) <= 0)
            {
                drained.TrySetResult();
            }

            try
            {
                await drained.Task.WaitAsync(TimeSpan.FromSeconds(Math.Max(0, _options.ReturnWaitSeconds)), _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Leases with uses still unsettled lapse and are reclaimed instead.
            }
        }

        var returned = 0;
        foreach (var lease in leases.Where(l => Volatile.Read(ref l.Closed) == 0 && Volatile.Read(ref l.InFlight) == 0))
        {
            try
            {
                await _repository.ReturnAsync(lease.Id, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref lease.Closed, 1);
                _leases.TryRemove(lease.Token, out _);
                returned++;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or OperationCanceledException)
            {
                LogShutdownReturnFailed(_logger, lease.Slot.OfferId, lease.Id, e.Message);
            }
        }

        if (leases.Count > 0)
        {
            LogReturnedOnStop(_logger, returned, leases.Count);
        }
    }

    public void Dispose() => Kill();

    private bool TryTake(Lease lease, long amount)
    {
        // Counted in flight before checking Retired, and Retire sets Retired before reading the
        // count: either this take sees the lease retired, or the retirer sees it in flight (and the
        // lease is returned only after it settles).
        Interlocked.Increment(ref lease.InFlight);
        Interlocked.Increment(ref _inFlight);
        if (Volatile.Read(ref lease.Retired) != 0)
        {
            Release(lease);
            return false;
        }

        while (true)
        {
            var remaining = Volatile.Read(ref lease.Remaining);
            if (remaining < amount)
            {
                Release(lease);
                return false;
            }

            if (Interlocked.CompareExchange(ref lease.Remaining, remaining - amount, remaining) == remaining)
            {
                return true;
            }
        }
    }

    private static void RaiseWanted(Slot slot, long amount)
    {
        var wanted = Volatile.Read(ref slot.Wanted);
        while (amount > wanted)
        {
            var seen = Interlocked.CompareExchange(ref slot.Wanted, amount, wanted);
            if (seen == wanted)
            {
                return;
            }

            wanted = seen;
        }
    }

    private static bool HasUsableLease(Slot slot, long now)
    {
        foreach (var lease in Volatile.Read(ref slot.Leases))
        {
            if (now < lease.UseUntil && Volatile.Read(ref lease.Retired) == 0 && Volatile.Read(ref lease.Remaining) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether every lease held is low on units or time (or there is none).</summary>
    private static bool NeedsLease(Slot slot, long now)
    {
        foreach (var lease in Volatile.Read(ref slot.Leases))
        {
            if (now < lease.RefreshAt && Volatile.Read(ref lease.Retired) == 0 && Volatile.Read(ref lease.Remaining) > lease.LowWater)
            {
                return false;
            }
        }

        return true;
    }

    private long Ticks(double seconds) => (long)(seconds * _time.TimestampFrequency);

    private Slot SlotOf(string offerId)
    {
        if (_offers.TryGetValue(offerId, out var slot))
        {
            return slot;
        }

        slot = _offers.GetOrAdd(offerId, static id => new Slot(id));
        EnsureTimer();
        return slot;
    }

    private void EnsureTimer()
    {
        lock (_timerLock)
        {
            if (_timer is null && Volatile.Read(ref _state) != Stopped)
            {
                var period = TimeSpan.FromSeconds(Math.Clamp(_options.MarginSeconds / 2, 0.1, 1));
                _timer = _time.CreateTimer(_ => Tick(), null, period, period);
            }
        }
    }

    private void StopTimer()
    {
        lock (_timerLock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private void Kill()
    {
        Volatile.Write(ref _state, Stopped);
        StopTimer();
    }

    /// <summary>Housekeeping: retires leases that are over, returns retired ones whose uses settled, keeps busy offers supplied.</summary>
    private void Tick()
    {
        try
        {
            TickOnce();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback must not throw (it would end the process); the next tick tries again.
            Failed("housekeeping", string.Empty, e);
        }
    }

    private void TickOnce()
    {
        var state = Volatile.Read(ref _state);
        if (state == Stopped)
        {
            return;
        }

        var now = _time.GetTimestamp();
        foreach (var slot in _offers.Values)
        {
            foreach (var lease in Volatile.Read(ref slot.Leases))
            {
                if (now >= lease.UseUntil || (Volatile.Read(ref lease.Remaining) == 0 && Volatile.Read(ref lease.InFlight) == 0))
                {
                    Retire(lease);
                }
            }

            if (state == Running && now - Volatile.Read(ref slot.LastUsed) < _recentUse && NeedsLease(slot, now))
            {
                RequestLease(slot, now);
            }
        }

        foreach (var lease in _leases.Values)
        {
            if (Volatile.Read(ref lease.Retired) == 0)
            {
                continue;
            }

            if (Volatile.Read(ref lease.Closed) != 0)
            {
                // Closed elsewhere: dropped once the uses that named it have settled.
                if (Volatile.Read(ref lease.InFlight) == 0)
                {
                    _leases.TryRemove(lease.Token, out _);
                }

                continue;
            }

            if (now >= lease.ForgetAt)
            {
                // Uses still unsettled this long after expiry (a caller that never settled them): the
                // coordinator has reclaimed the lease by now.
                _leases.TryRemove(lease.Token, out _);
                LogForgotten(_logger, lease.Slot.OfferId, lease.Id, Volatile.Read(ref lease.InFlight));
            }
            else if (Volatile.Read(ref lease.InFlight) == 0)
            {
                // Retries a return that failed.
                ScheduleReturn(lease);
            }
        }
    }

    /// <summary>No more takes from this lease; it is returned once its uses in flight have settled.</summary>
    private void Retire(Lease lease)
    {
        if (Interlocked.Exchange(ref lease.Retired, 1) != 0)
        {
            return;
        }

        var slot = lease.Slot;
        lock (slot.Gate)
        {
            slot.Leases = [.. slot.Leases.Where(l => !ReferenceEquals(l, lease))];
        }

        if (Volatile.Read(ref lease.InFlight) == 0)
        {
            ScheduleReturn(lease);
        }
    }

    private void Release(Lease lease)
    {
        if (Interlocked.Decrement(ref lease.InFlight) == 0 && Volatile.Read(ref lease.Retired) != 0)
        {
            ScheduleReturn(lease);
        }

        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _drained) is { } drained)
        {
            drained.TrySetResult();
        }
    }

    private void ScheduleReturn(Lease lease)
    {
        // A stopped silo returns its leases itself, straight in Postgres (StoppedAsync).
        if (Volatile.Read(ref _state) == Stopped || Interlocked.CompareExchange(ref lease.Closing, 1, 0) != 0)
        {
            return;
        }

        _ = Task.Run(() => ReturnAsync(lease));
    }

    private async Task ReturnAsync(Lease lease)
    {
        var sent = _time.GetTimestamp();
        try
        {
            var status = await _grains.GetGrain<ICampaignBudgetGrain>(lease.Slot.OfferId).ReturnLeaseAsync(lease.Id).ConfigureAwait(false);
            Volatile.Write(ref lease.Closed, 1);
            _leases.TryRemove(lease.Token, out _);
            Learn(lease.Slot, status, sent);
            LogReturned(_logger, lease.Slot.OfferId, lease.Id, lease.Amount, Interlocked.Read(ref lease.Settled));
            Succeeded();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The housekeeping tick tries again (until the lease lapses and the coordinator reclaims it).
            Volatile.Write(ref lease.Closing, 0);
            Failed("returning a lease", lease.Slot.OfferId, e);
        }
    }

    /// <summary>Starts a lease request for the offer unless one runs or it would be pointless now; the request in flight (null if none).</summary>
    private Task? RequestLease(Slot slot, long now)
    {
        if (Volatile.Read(ref _state) != Running || now < Volatile.Read(ref slot.RetryAt))
        {
            return null;
        }

        // Known to have less than is wanted, and learnt recently: don't ask again yet.
        var knownAt = Volatile.Read(ref slot.KnownAt);
        if (knownAt != long.MinValue && now - knownAt < _recheck && Volatile.Read(ref slot.KnownAvailable) < Math.Max(1, Volatile.Read(ref slot.Wanted)))
        {
            return null;
        }

        lock (slot.Gate)
        {
            if (slot.Request is { IsCompleted: false } running)
            {
                return running;
            }

            var request = Task.Run(() => RequestLeaseAsync(slot));
            slot.Request = request;
            return request;
        }
    }

    private async Task RequestLeaseAsync(Slot slot)
    {
        var wanted = Math.Max(1, Interlocked.Exchange(ref slot.Wanted, 0));
        var sent = _time.GetTimestamp();
        try
        {
            var grant = await _grains.GetGrain<ICampaignBudgetGrain>(slot.OfferId).RequestLeaseAsync(SiloName, wanted).ConfigureAwait(false);
            Learn(slot, grant.Status, sent);
            Succeeded();
            if (grant.LeaseId is not { } id || grant.Amount <= 0)
            {
                if (grant.Status.Defined && grant.Status.Available > 0)
                {
                    // Less is left than one use of this size needs: keep asking for that much.
                    RaiseWanted(slot, wanted);
                }

                return;
            }

            // Timed from when it was asked for, so this silo stops before the coordinator's expiry.
            var duration = Ticks(grant.Duration.TotalSeconds);
            var useUntil = sent + duration - _margin;
            var lease = new Lease(slot, id, grant.Amount)
            {
                UseUntil = useUntil,
                RefreshAt = useUntil - Ticks(LowWaterTime(grant.Duration).TotalSeconds),
                ForgetAt = sent + duration + _grace + _margin,
                LowWater = (long)Math.Floor(grant.Amount * Math.Clamp(_options.LowWater, 0, 1)),
            };
            _leases[lease.Token] = lease;
            lock (slot.Gate)
            {
                slot.Leases = [.. slot.Leases, lease];
            }

            if (Volatile.Read(ref _state) == Stopped)
            {
                // Granted while the silo stopped: returned by the stop, or reclaimed after a kill.
                Retire(lease);
            }

            LogLeaseHeld(_logger, slot.OfferId, id, grant.Amount, grant.Status.Available);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Volatile.Write(ref slot.RetryAt, _time.GetTimestamp() + _retryAfterFailure);
            RaiseWanted(slot, wanted);
            Failed("requesting a lease", slot.OfferId, e);
        }
    }

    /// <summary>Refreshes what the coordinator says is left, in the background (one look-up at a time per offer).</summary>
    private void LookUp(Slot slot, long now)
    {
        if (Volatile.Read(ref _state) == Stopped || now < Volatile.Read(ref slot.RetryAt))
        {
            return;
        }

        lock (slot.Gate)
        {
            if (slot.LookUp is { IsCompleted: false })
            {
                return;
            }

            slot.LookUp = Task.Run(async () =>
            {
                var sent = _time.GetTimestamp();
                try
                {
                    Learn(slot, await _grains.GetGrain<ICampaignBudgetGrain>(slot.OfferId).GetStatusAsync().ConfigureAwait(false), sent);
                    Succeeded();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Volatile.Write(ref slot.RetryAt, _time.GetTimestamp() + _retryAfterFailure);
                    Failed("reading a budget", slot.OfferId, e);
                }
            });
        }
    }

    /// <summary>
    /// Remembers what the coordinator said is available (asked at <paramref name="at"/>), unless an
    /// answer about a later state of the budget (a higher revision) came first: answers can arrive
    /// in any order.
    /// </summary>
    private static void Learn(Slot slot, CampaignBudgetStatus status, long at)
    {
        lock (slot.Gate)
        {
            if (status.Revision < slot.KnownRevision)
            {
                return;
            }

            slot.KnownRevision = status.Revision;
            Volatile.Write(ref slot.KnownAvailable, status.Defined ? status.Available : 0);
            Volatile.Write(ref slot.KnownAt, Math.Max(at, slot.KnownAt));
        }
    }

    private void Failed(string what, string offerId, Exception e)
    {
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            LogFailing(_logger, what, offerId, e.GetType().Name, e.Message);
        }
    }

    private void Succeeded()
    {
        if (Interlocked.Exchange(ref _failing, 0) == 1)
        {
            LogWorksAgain(_logger);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offer {OfferId}: holding lease {LeaseId} of {Amount} units ({Available} left to grant)")]
    private static partial void LogLeaseHeld(ILogger logger, string offerId, long leaseId, long amount, long available);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offer {OfferId}: lease {LeaseId} of {Amount} units returned ({Committed} committed here)")]
    private static partial void LogReturned(ILogger logger, string offerId, long leaseId, long amount, long committed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offer {OfferId}: lease {LeaseId} was closed by the coordinator while this silo still used it (it lapsed here, or the total was lowered); requesting another")]
    private static partial void LogLeaseClosedElsewhere(ILogger logger, string offerId, long leaseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offer {OfferId}: lease {LeaseId} forgotten with {InFlight} use(s) never settled; the coordinator reclaims it")]
    private static partial void LogForgotten(ILogger logger, string offerId, long leaseId, int inFlight);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for {Count} budget lease request(s) timed out; the mutation goes on without those offers' budget")]
    private static partial void LogPrepareTimedOut(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Campaign budgets failing: {What} for offer {OfferId} failed ({Type}: {Reason}); budgeted offers may not apply until it works again")]
    private static partial void LogFailing(ILogger logger, string what, string offerId, string type, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign budgets work again")]
    private static partial void LogWorksAgain(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo stopped: returned {Returned} of {Count} budget lease(s) held")]
    private static partial void LogReturnedOnStop(ILogger logger, int returned, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offer {OfferId}: returning lease {LeaseId} on stop failed ({Reason}); it lapses and is reclaimed")]
    private static partial void LogShutdownReturnFailed(ILogger logger, string offerId, long leaseId, string reason);

    /// <summary>One offer's leases here and what this silo knows of its budget.</summary>
    private sealed class Slot(string offerId)
    {
        public readonly string OfferId = offerId;
        public readonly Lock Gate = new();

        /// <summary>Leases not retired, oldest first (replaced whole under <see cref="Gate"/>).</summary>
        public Lease[] Leases = [];

        /// <summary>What the coordinator last said was available (0 for an offer without a budget), and when (long.MinValue: never asked).</summary>
        public long KnownAvailable;
        public long KnownAt = long.MinValue;
        public long KnownRevision;

        /// <summary>The largest take that found no lease with enough since the last request.</summary>
        public long Wanted;
        public long LastUsed = long.MinValue / 2;
        public long RetryAt = long.MinValue;
        public Task? Request;
        public Task? LookUp;
    }

    /// <summary>A lease held by this silo.</summary>
    private sealed class Lease(Slot slot, long id, long amount)
    {
        public readonly Slot Slot = slot;
        public readonly long Id = id;
        public readonly string Token = OfferLeaseToken.Format(id);
        public readonly long Amount = amount;

        /// <summary>Budget-clock timestamps: no take at or after UseUntil; a new lease is wanted from RefreshAt; forgotten at ForgetAt.</summary>
        public long UseUntil;
        public long RefreshAt;
        public long ForgetAt;

        /// <summary>Units at or below which the next lease is requested.</summary>
        public long LowWater;

        public long Remaining = amount;

        /// <summary>Units of uses reported committed (diagnostics).</summary>
        public long Settled;

        /// <summary>Uses taken and not settled yet.</summary>
        public int InFlight;
        public int Retired;
        public int Closing;
        public int Closed;
    }
}
