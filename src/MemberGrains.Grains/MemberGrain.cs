using MemberGrains.Abstractions;
using MemberGrains.Domain;
using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace MemberGrains.Grains;

/// <summary>
/// A loyalty member in memory, written through to Postgres.
/// <para>
/// Mutations are applied one at a time, in arrival order, each in one synchronous step (validate,
/// apply to the in-memory account, hand the new state and its ledger rows to the group-commit
/// queue); the caller is answered only once the commit holding its change is durable. The grain
/// is reentrant so that the next mutation need not wait for the previous commit: a hot member's
/// changes made while a commit is in flight share the next one (early lock release with group
/// commit). Each change's write expects the version its predecessor produced, so if a commit
/// fails, every later change built on it fails too, the in-memory account is dropped, and the
/// member is reloaded from Postgres once the writes in flight have settled.
/// </para>
/// <para>
/// Reads (the member view, quotes) only ever see committed state: a read arriving while a commit
/// is in flight waits for it and holds back new mutations until it has answered.
/// </para>
/// <para>
/// Refusals are confirmed against Postgres before they are answered (one primary-key read), and a
/// commit that finds the member written elsewhere is decided again on reloaded state: a member
/// that was briefly active twice (membership changing, an evicted silo still running) never
/// refuses or answers from state older than what the cluster acknowledged.
/// </para>
/// </summary>
[Reentrant]
public sealed partial class MemberGrain : Grain, IMemberGrain
{
    private readonly IMemberStore _store;
    private readonly MemberClock _clock;
    private readonly IProgramCatalog _programs;
    private readonly AccountLimits _limits;
    private readonly ILogger<MemberGrain> _logger;
    private readonly FaultLog _faults;
    private readonly IMemoryLease _lease;
    private readonly OfferBudgets _budgets;
    private readonly BudgetCall _budgetCall;
    private MemberAccount? _account;
    private long _version;

    // What Postgres holds of the member's parts as of _version (advanced with it when a write is made).
    private MemberParts _parts = new();
    private bool _loaded;
    private Task? _loading;

    // Completed loads; a call that saw it change loaded what it reads from Postgres itself.
    private long _loads;

    // Store screens watching this member, until when; and the last screen view computed.
    private readonly Dictionary<IMemberWatcher, DateTimeOffset> _watchers = [];
    private (string? StoreId, CachedView<ScreenViewInfo> View)? _screenView;

    private CachedView<MemberSnapshot>? _memberView;

    // The last uncached read: what it was built from and until when it stayed valid.
    private (long Generation, long Version, int Program, DateTimeOffset Until)? _lastRead;

    // The commit of the latest change applied in memory (commits of one member complete in order).
    private Task _tail = Task.CompletedTask;
    private long _tailGeneration;

    // Bumped whenever memory is dropped; a change made in an older generation can't invalidate a newer one.
    private long _generation;

    // Readers waiting for the tail to commit; while there are any, mutations wait for them.
    private int _readersWaiting;
    private TaskCompletionSource? _readersDone;

    /// <summary>How long a watcher stays registered without renewing.</summary>
    private static readonly TimeSpan WatchFor = TimeSpan.FromMinutes(2);

    /// <summary>How often one request is decided again after memory turned out stale before giving up (UNAVAILABLE).</summary>
    private const int MaxAttempts = 3;

    public MemberGrain(IMemberStore store, MemberClock clock, IProgramCatalog programs, AccountLimits limits, MemberStorageFaults faults, IMemoryLease lease, OfferBudgets budgets, ILogger<MemberGrain> logger)
    {
        _budgets = budgets;
        _budgetCall = new BudgetCall(budgets);
        _faults = faults.Log;
        _lease = lease;
        _store = store;
        _clock = clock;
        _programs = programs;
        _limits = limits;
        _logger = logger;
    }

    private string MemberId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => EnsureLoadedAsync();

    public Task<OperationReceipt> EnrollAsync(EnrollCommand command)
    {
        // The command names the member (the account, its fingerprint and bulk enrolment need it);
        // the key decides which member this is. A caller that mixes them up is refused, not obeyed.
        if (!string.Equals(command.MemberId, MemberId, StringComparison.Ordinal))
        {
            throw DomainException.Invalid("member_id", $"The enrolment names member '{command.MemberId}' but was sent to member '{MemberId}'.").ToRefusal();
        }

        return ChangeAsync(
            now =>
            {
                if (_account is not null)
                {
                    return new Outcome(_account.ReplayEnroll(command, now), true);
                }

                var (account, receipt) = MemberAccount.Enroll(command, _programs, _limits, now);
                account.OfferBudget = _budgetCall;
                _account = account;
                return new Outcome(receipt, false);
            },
            requireMember: false);
    }

    public Task<MemberSnapshot> GetAsync() =>
        ReadAsync(account => account.View(_clock.UtcNow, withLotsAndHolds: true).ToDto());

    public Task<MemberSnapshot> GetSummaryAsync() =>
        ReadAsync(account =>
        {
            // A member read again before anything in its view can have moved (same committed
            // version and program, before ViewValidUntil) gets the view built for the first read.
            // The view is kept only from the second such read on: most of a million resident
            // members are read once in a while, and keeping a view for each of them cost more
            // memory and GC than it saved (docs/benchmarks.md).
            var now = _clock.UtcNow;
            var program = account.Rules.Version;
            if (_memberView is { } cached && cached.Fits(_generation, _version, program, now))
            {
                return cached.View with { AsOf = now };
            }

            var view = account.View(now, withLotsAndHolds: false).ToDto();
            if (_lastRead is { } last && last.Generation == _generation && last.Version == _version && last.Program == program && now < last.Until)
            {
                _memberView = new CachedView<MemberSnapshot>(_generation, _version, program, now, account.ViewValidUntil(now), view);
            }
            else
            {
                _memberView = null;
                _lastRead = (_generation, _version, program, account.ViewValidUntil(now));
            }

            return view;
        });

    public Task<OperationReceipt> AccrueAsync(AccrueCommand command) =>
        MutateAsync((account, now) => account.Accrue(command, now));

    public Task<OperationReceipt> ReserveAsync(ReserveCommand command) =>
        MutateAsync((account, now) => account.Reserve(command, now));

    public Task<OperationReceipt> CaptureAsync(CaptureCommand command) =>
        MutateAsync((account, now) => account.Capture(command, now));

    public Task<OperationReceipt> ReleaseAsync(ReleaseCommand command) =>
        MutateAsync((account, now) => account.Release(command, now));

    public Task<OperationReceipt> RefundAsync(RefundCommand command) =>
        MutateAsync((account, now) => account.Refund(command, now));

    public Task<OperationReceipt> RecordActivityAsync(ActivityCommand command) =>
        MutateAsync((account, now) => account.RecordActivity(command, now));

    public Task<CheckoutQuoteResult> QuoteCheckoutAsync(QuoteCommand command) =>
        ReadAsync(account => account.Quote(command, _clock.UtcNow, _budgets).ToDto());

    public Task<ScreenViewInfo> GetScreenViewAsync(string? storeId) =>
        ReadAsync(account =>
        {
            var now = _clock.UtcNow;
            if (_screenView is { } cached && cached.StoreId == storeId && cached.View.Fits(_generation, _version, account.Rules.Version, now))
            {
                return cached.View.View;
            }

            var view = account.ScreenView(now, storeId).ToDto(_version);
            _screenView = (storeId, new CachedView<ScreenViewInfo>(_generation, _version, account.Rules.Version, now, account.ViewValidUntil(now), view));
            return view;
        });

    public Task<long> GetVersionAsync() => ReadAsync(_ => _version);

    public async Task WatchAsync(IMemberWatcher watcher)
    {
        await EnsureLoadedAsync();
        if (_account is null)
        {
            throw NotEnrolled();
        }

        _watchers[watcher] = _clock.UtcNow + WatchFor;
    }

    public Task UnwatchAsync(IMemberWatcher watcher)
    {
        _watchers.Remove(watcher);
        return Task.CompletedTask;
    }

    public async Task<bool> TouchAsync()
    {
        await PrepareBudgetsAsync();
        await WaitForReadersAsync();
        await EnsureLoadedAsync();
        if (_account is null)
        {
            DeactivateOnIdle();
            return false;
        }

        var now = _clock.UtcNow;
        var changed = _account.Touch(now, _budgets);
        // A conflict means another writer got there first: nothing stored, the sweeper comes again.
        return await CommitAsync(now) == Commit.Committed && changed;
    }

    private Task<OperationReceipt> MutateAsync(Func<MemberAccount, DateTimeOffset, Outcome> operation) =>
        ChangeAsync(now => operation(_account!, now), requireMember: true);

    /// <summary>
    /// Applies one change and answers once it is durable. A refusal is answered only after Postgres
    /// confirmed that memory was current when it was decided (<see cref="MemoryCurrentAsync"/>); a
    /// change whose commit found the member written by someone else (memory was stale, nothing was
    /// stored) is decided again on the reloaded state, as is a retry whose original's fate was not
    /// settled when memory had to be dropped. So no answer rests on state older than a commit.
    /// </summary>
    private async Task<OperationReceipt> ChangeAsync(Func<DateTimeOffset, Outcome> apply, bool requireMember)
    {
        for (var attempt = 1; ; attempt++)
        {
            await PrepareBudgetsAsync();
            await WaitForReadersAsync();
            var loads = _loads;
            await EnsureLoadedAsync();
            if (requireMember && _account is null)
            {
                if (_loads == loads && !await MemoryCurrentAsync(attempt))
                {
                    continue;
                }

                throw NotEnrolled();
            }

            // From here to the hand-over to the commit queue nothing awaits: no other call interleaves.
            var now = _clock.UtcNow;
            var decidedAt = _version;
            Outcome outcome;
            _budgetCall.Reset();
            try
            {
                outcome = apply(now);
            }
            catch (DomainException e)
            {
                // Refusals are raised before anything changes: the account is still what it was.
                if (e.DependsOnState && !await MemoryCurrentAsync(attempt, decidedAt))
                {
                    continue;
                }

                throw e.ToRefusal();
            }
            catch
            {
                // Anything else may have left a half-applied change: forget memory, reload next time,
                // and give back any budget taken for it.
                if (_account is { } broken)
                {
                    Settle(broken.DrainOfferUses(), committed: false);
                }

                Invalidate();
                throw;
            }

            if (outcome.Replayed)
            {
                if (!await OriginalSettledAsync(attempt))
                {
                    continue;
                }
            }
            else if (attempt < MaxAttempts && _budgetCall.WorthWaitingFor() is { } waitFor)
            {
                // A campaign's budget was not at hand but is on its way (a lease ran out in a burst):
                // rather than tell the till it is spent, drop the change (nothing was sent) and decide
                // it again once this silo holds a new lease.
                Settle(_account!.DrainOfferUses(), committed: false);
                Invalidate();
                await _budgets.PrepareAsync(waitFor);
                continue;
            }
            else if (await CommitAsync(now) == Commit.Conflict)
            {
                if (attempt < MaxAttempts)
                {
                    continue;
                }

                throw new StorageUnavailableException(
                    $"The change to member '{MemberId}' was not committed: the member kept being written elsewhere ({MaxAttempts} attempts). Nothing was applied; retry with the same request_id.");
            }

            return outcome.Receipt.ToDto(outcome.Replayed);
        }
    }

    /// <summary>Runs a read on committed state only (see the class remarks); refusals are confirmed like a change's.</summary>
    private async Task<T> ReadAsync<T>(Func<MemberAccount, T> read)
    {
        var confirmed = -1L;
        for (var attempt = 1; ;)
        {
            var loads = _loads;
            await EnsureLoadedAsync();
            if (_account is null)
            {
                if (_loads == loads && !await MemoryCurrentAsync(attempt++))
                {
                    continue;
                }

                throw NotEnrolled();
            }

            var tail = _tail;
            MemberAccount? committed = null;
            if (tail.IsCompletedSuccessfully)
            {
                committed = _account;
            }
            else
            {
                _readersWaiting++;
                var succeeded = false;
                try
                {
                    await tail;
                    succeeded = true;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The commit failed: drop memory (if its caller hasn't yet) and read again from Postgres.
                    DropIfTailFailed();
                }
                finally
                {
                    // Waiting mutations resume only after this turn: the read below still runs first.
                    if (--_readersWaiting == 0 && _readersDone is { } done)
                    {
                        _readersDone = null;
                        done.TrySetResult();
                    }
                }

                if (succeeded && ReferenceEquals(tail, _tail) && _loaded)
                {
                    // No mutation could start while we waited: what memory holds is what Postgres holds.
                    committed = _account;
                }
            }

            if (committed is null)
            {
                continue;
            }

            var decidedAt = _version;
            if (!_lease.Held && confirmed != decidedAt)
            {
                // This silo can't vouch for its memory right now (see IMemoryLease): Postgres must,
                // or it was stale and is reloaded. Then look again: other calls ran meanwhile.
                if (await MemoryCurrentAsync(attempt++, decidedAt))
                {
                    confirmed = decidedAt;
                }

                continue;
            }

            try
            {
                return read(committed);
            }
            catch (DomainException e)
            {
                if (e.DependsOnState && !await MemoryCurrentAsync(attempt++, decidedAt))
                {
                    continue;
                }

                throw e.ToRefusal();
            }
        }
    }

    private Task WaitForReadersAsync()
    {
        if (_readersWaiting == 0)
        {
            return Task.CompletedTask;
        }

        _readersDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return WaitAgainAsync(_readersDone.Task);

        async Task WaitAgainAsync(Task done)
        {
            await done;
            while (_readersWaiting > 0)
            {
                _readersDone ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await _readersDone.Task;
            }
        }
    }

    /// <summary>
    /// Whether a refusal (or a read this silo can't vouch for) decided on memory at version
    /// <paramref name="decidedAt"/> (0: the member was not enrolled) may be answered: only if, once this activation's commits in flight have
    /// settled, Postgres holds that same version. A member can be written elsewhere for a moment
    /// (a second activation while the cluster's membership changes, an evicted silo that has not
    /// noticed yet): then memory is reloaded and the request decided again (false). If Postgres
    /// can't be asked, the refusal can't be confirmed: UNAVAILABLE, nothing applied.
    /// </summary>
    private async Task<bool> MemoryCurrentAsync(int attempt, long decidedAt = 0)
    {
        var generation = _generation;
        if (!await SettledAsync())
        {
            return false;
        }

        long stored;
        try
        {
            stored = await _store.ReadVersionAsync(MemberId) ?? 0;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogConfirmFailed(_logger, MemberId, e.Message);
            throw new StorageUnavailableException(
                $"The member '{MemberId}' could not be confirmed current: storage could not be reached ({e.GetType().Name}); nothing was applied. Retry with the same request_id.");
        }

        if (stored == decidedAt && generation == _generation)
        {
            return true;
        }

        // Our own later changes can only have moved Postgres up to what memory holds; anything else
        // was written by someone else, so memory is stale.
        if (generation == _generation && (stored > _version || (_tail.IsCompleted && stored != _version)))
        {
            LogStaleMemory(_logger, MemberId, _version, stored);
            Invalidate();
        }

        if (attempt >= MaxAttempts)
        {
            throw new StorageUnavailableException(
                $"The member '{MemberId}' kept changing while its state was being confirmed ({MaxAttempts} attempts); nothing was applied. Retry with the same request_id.");
        }

        return false;
    }

    /// <summary>
    /// A retried request is answered from memory, but only once the commit holding the original
    /// change is durable: every commit in flight must succeed without memory being dropped. If memory
    /// was dropped meanwhile (false), the retry is decided again on what Postgres holds.
    /// </summary>
    private async Task<bool> OriginalSettledAsync(int attempt)
    {
        if (await SettledAsync())
        {
            return true;
        }

        if (attempt >= MaxAttempts)
        {
            throw new StorageUnavailableException(
                $"The earlier change with this request_id to member '{MemberId}' could not be confirmed ({MaxAttempts} attempts); retry with the same request_id.")
            {
                OutcomeUnknown = true,
            };
        }

        return false;
    }

    /// <summary>Waits for the commits in flight; true if memory was not dropped meanwhile.</summary>
    private async Task<bool> SettledAsync()
    {
        var generation = _generation;
        try
        {
            await _tail;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DropIfTailFailed();
        }

        return generation == _generation && _loaded;
    }

    private async Task<Commit> CommitAsync(DateTimeOffset now)
    {
        var account = _account!;
        var uses = account.DrainOfferUses();
        var write = MemberWrite.Create(account, _parts, _version, now, uses.ToRows());
        var generation = _generation;
        _version = write.NewVersion;
        var commit = _store.CommitAsync(write);
        _tail = commit;
        _tailGeneration = generation;
        try
        {
            await commit;
            Settle(uses, committed: true);
            _faults.Succeeded();
            Notify(write.NewVersion);
            return Commit.Committed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (generation == _generation)
            {
                Invalidate();
            }

            // Budget taken for a change whose outcome is unknown stays spent (it may be committed).
            Settle(uses, committed: e is CommitOutcomeUnknownException);
            if (e is OfferLeaseClosedException closed)
            {
                // A lease this silo used was closed (lapsed and reclaimed, or revoked) before the
                // commit: nothing was stored; decide again with budget from a lease still open.
                _budgets.LeasesClosed(closed.LeaseIds);
                return Commit.Conflict;
            }

            if (e is MemberWriteConflictException)
            {
                // Nothing was stored; memory (now dropped) was older than Postgres.
                return Commit.Conflict;
            }

            _faults.Failed("a commit", MemberId, e);
            if (e is CommitOutcomeUnknownException)
            {
                throw new StorageUnavailableException(
                    $"The change to member '{MemberId}' may or may not have been committed: the connection to the database broke after it was sent, and the database did not answer in time to tell. " +
                    "Retry with the same request_id (a committed change is answered with its receipt, replayed; one that was not is applied then); never with a new one.")
                {
                    OutcomeUnknown = true,
                };
            }

            throw new StorageUnavailableException(
                $"The change to member '{MemberId}' was not committed ({e.GetType().Name}); nothing was applied. Retry with the same request_id.");
        }
    }

    /// <summary>
    /// Makes sure this silo holds budget for the program's budgeted offers before a change may take
    /// some (returns at once when it does; a cold silo waits for its first leases, boundedly).
    /// </summary>
    private Task PrepareBudgetsAsync()
    {
        var budgeted = _programs.Current.BudgetedOfferIds;
        return budgeted.Count == 0 ? Task.CompletedTask : _budgets.PrepareAsync(budgeted);
    }

    /// <summary>Tells the silo's budgets the fate of the budget a change took: spent (committed, or outcome unknown) or not.</summary>
    private void Settle(IReadOnlyList<OfferUse> uses, bool committed)
    {
        foreach (var use in uses)
        {
            if (use.GiveBack || use.BudgetToken is null)
            {
                continue;
            }

            if (committed)
            {
                _budgets.Committed(use.BudgetToken, use.BudgetUnits);
            }
            else
            {
                _budgets.NotCommitted(use.BudgetToken, use.BudgetUnits);
            }
        }
    }

    /// <summary>Tells the watchers (best effort, one-way) that the member committed <paramref name="version"/>; drops lapsed ones.</summary>
    private void Notify(long version)
    {
        if (_watchers.Count == 0)
        {
            return;
        }

        var now = _clock.UtcNow;
        foreach (var (watcher, until) in _watchers.ToList())
        {
            if (until < now)
            {
                _watchers.Remove(watcher);
                continue;
            }

            _ = watcher.ChangedAsync(version);
        }
    }

    private MemberOperationException NotEnrolled()
    {
        // Don't keep an empty activation around for every unknown number a till types.
        DeactivateOnIdle();
        return new MemberOperationException(RefusalKind.NotFound, "member_id", $"Member '{MemberId}' is not enrolled.");
    }

    private Task EnsureLoadedAsync()
    {
        DropIfTailFailed();
        if (_loaded)
        {
            return Task.CompletedTask;
        }

        // One load at a time; a failed one is retried by the next call.
        if (_loading is null || _loading.IsCompleted)
        {
            _loading = LoadAsync();
        }

        return _loading;
    }

    private async Task LoadAsync()
    {
        // Writes of a dropped generation still in flight settle first, so what is read is final.
        try
        {
            await _tail;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Their callers were told; the state to use is whatever Postgres holds now.
        }

        StoredMember? stored;
        try
        {
            stored = await _store.LoadAsync(MemberId, _clock.UtcNow, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _faults.Failed("a load", MemberId, e);
            throw new StorageUnavailableException($"Member '{MemberId}' could not be read from storage ({e.GetType().Name}); nothing was applied. Retry with the same request_id.");
        }

        _faults.Succeeded();
        _account = stored is null ? null : new MemberAccount(stored.State, _programs, _limits) { OfferBudget = _budgetCall };
        _version = stored?.Version ?? 0;
        _parts = stored?.Parts ?? new MemberParts();
        _tail = Task.CompletedTask;
        _loaded = true;
        _loads++;
    }

    /// <summary>
    /// A failed latest commit means memory holds a change Postgres doesn't: whoever sees it first
    /// (the failing caller, a waiting reader, the next call) drops memory before using it.
    /// </summary>
    private void DropIfTailFailed()
    {
        if (_loaded && _tail.IsFaulted && _tailGeneration == _generation)
        {
            Invalidate();
        }
    }

    private void Invalidate()
    {
        _account = null;
        _loaded = false;
        _generation++;
    }

    /// <summary>A view built at <paramref name="From"/> from a committed state and program, valid until <paramref name="Until"/> (<see cref="MemberAccount.ViewValidUntil"/>).</summary>
    private sealed record CachedView<T>(long Generation, long Version, int ProgramVersion, DateTimeOffset From, DateTimeOffset Until, T View)
    {
        public bool Fits(long generation, long version, int programVersion, DateTimeOffset now) =>
            Generation == generation && Version == version && ProgramVersion == programVersion && now >= From && now < Until;
    }

    private enum Commit
    {
        Committed,

        /// <summary>The member was written elsewhere: nothing stored, memory dropped.</summary>
        Conflict,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId} was written elsewhere (memory at version {Memory}, Postgres at {Stored}); reloading it")]
    private static partial void LogStaleMemory(ILogger logger, string memberId, long memory, long stored);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Member {MemberId}: memory could not be confirmed against storage: {Reason}")]
    private static partial void LogConfirmFailed(ILogger logger, string memberId, string reason);
}
