using MemberGrains.Abstractions;
using MemberGrains.Domain;
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
/// </summary>
[Reentrant]
public sealed partial class MemberGrain : Grain, IMemberGrain
{
    private readonly IMemberStore _store;
    private readonly MemberClock _clock;
    private readonly IProgramCatalog _programs;
    private readonly AccountLimits _limits;
    private readonly ILogger<MemberGrain> _logger;
    private MemberAccount? _account;
    private long _version;
    private bool _loaded;
    private Task? _loading;

    // The commit of the latest change applied in memory (commits of one member complete in order).
    private Task _tail = Task.CompletedTask;
    private long _tailGeneration;

    // Bumped whenever memory is dropped; a change made in an older generation can't invalidate a newer one.
    private long _generation;

    // Readers waiting for the tail to commit; while there are any, mutations wait for them.
    private int _readersWaiting;
    private TaskCompletionSource? _readersDone;

    public MemberGrain(IMemberStore store, MemberClock clock, IProgramCatalog programs, AccountLimits limits, ILogger<MemberGrain> logger)
    {
        _store = store;
        _clock = clock;
        _programs = programs;
        _limits = limits;
        _logger = logger;
    }

    private string MemberId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => EnsureLoadedAsync();

    public async Task<OperationReceipt> EnrollAsync(EnrollRequest request)
    {
        await WaitForReadersAsync();
        await EnsureLoadedAsync();
        var now = _clock.UtcNow;
        var command = request.ToCommand(MemberId);
        Receipt receipt;
        try
        {
            if (_account is not null)
            {
                receipt = _account.ReplayEnroll(command, now);
                await AwaitOriginalAsync();
                return receipt.ToDto(replayed: true);
            }

            (_account, receipt) = MemberAccount.Enroll(command, _programs, _limits, now);
        }
        catch (DomainException e)
        {
            throw e.ToRefusal();
        }

        await CommitAsync(now);
        return receipt.ToDto(replayed: false);
    }

    public Task<MemberSnapshot> GetAsync() =>
        ReadAsync(account => account.View(_clock.UtcNow).ToDto());

    public Task<OperationReceipt> AccrueAsync(AccrueRequest request) =>
        MutateAsync((account, now) => account.Accrue(request.ToCommand(), now));

    public Task<OperationReceipt> ReserveAsync(ReserveRequest request) =>
        MutateAsync((account, now) => account.Reserve(request.ToCommand(), now));

    public Task<OperationReceipt> CaptureAsync(CaptureRequest request) =>
        MutateAsync((account, now) => account.Capture(request.ToCommand(), now));

    public Task<OperationReceipt> ReleaseAsync(ReleaseRequest request) =>
        MutateAsync((account, now) => account.Release(request.ToCommand(), now));

    public Task<OperationReceipt> RefundAsync(RefundRequest request) =>
        MutateAsync((account, now) => account.Refund(request.ToCommand(), now));

    public Task<OperationReceipt> RecordActivityAsync(ActivityRequest request) =>
        MutateAsync((account, now) => account.RecordActivity(request.ToCommand(), now));

    public Task<CheckoutQuoteResult> QuoteCheckoutAsync(QuoteRequest request) =>
        ReadAsync(account =>
        {
            try
            {
                return account.Quote(request.ToCommand(), _clock.UtcNow).ToDto();
            }
            catch (DomainException e)
            {
                throw e.ToRefusal();
            }
        });

    public async Task<bool> TouchAsync()
    {
        await WaitForReadersAsync();
        await EnsureLoadedAsync();
        if (_account is null)
        {
            DeactivateOnIdle();
            return false;
        }

        var now = _clock.UtcNow;
        var changed = _account.Touch(now);
        await CommitAsync(now);
        return changed;
    }

    private async Task<OperationReceipt> MutateAsync(Func<MemberAccount, DateTimeOffset, Outcome> operation)
    {
        await WaitForReadersAsync();
        var account = await RequireAccountAsync();

        // From here to the hand-over to the commit queue nothing awaits: no other call interleaves.
        var now = _clock.UtcNow;
        Outcome outcome;
        try
        {
            outcome = operation(account, now);
        }
        catch (DomainException e)
        {
            // Refusals are raised before anything changes: the account is still what it was.
            throw e.ToRefusal();
        }
        catch
        {
            // Anything else may have left a half-applied change: forget memory, reload next time.
            Invalidate();
            throw;
        }

        if (outcome.Replayed)
        {
            await AwaitOriginalAsync();
        }
        else
        {
            await CommitAsync(now);
        }

        return outcome.Receipt.ToDto(outcome.Replayed);
    }

    /// <summary>Runs a read on committed state only (see the class remarks).</summary>
    private async Task<T> ReadAsync<T>(Func<MemberAccount, T> read)
    {
        while (true)
        {
            var account = await RequireAccountAsync();
            var tail = _tail;
            if (tail.IsCompletedSuccessfully)
            {
                return read(account);
            }

            _readersWaiting++;
            var committed = false;
            try
            {
                await tail;
                committed = true;
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

            if (committed && ReferenceEquals(tail, _tail) && _loaded)
            {
                // No mutation could start while we waited: what memory holds is what Postgres holds.
                return read(_account!);
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
    /// A retried request is answered from memory, but only once the commit holding the original
    /// change is durable: every commit in flight must succeed without memory being dropped.
    /// </summary>
    private async Task AwaitOriginalAsync()
    {
        var generation = _generation;
        var tail = _tail;
        try
        {
            await tail;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DropIfTailFailed();
        }

        if (generation != _generation)
        {
            throw new StorageUnavailableException(
                $"The earlier change with this request id to member '{MemberId}' was not committed; nothing was applied. Retry with the same request id.");
        }
    }

    private async Task CommitAsync(DateTimeOffset now)
    {
        var account = _account!;
        var write = MemberWrite.Create(account.State, _version, account.DrainLedger(), account.DrainEvents(), account.NextDueAt(now), now);
        var generation = _generation;
        _version = write.NewVersion;
        var commit = _store.CommitAsync(write);
        _tail = commit;
        _tailGeneration = generation;
        try
        {
            await commit;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (generation == _generation)
            {
                Invalidate();
            }

            LogCommitFailed(_logger, MemberId, e.Message);

            throw new StorageUnavailableException(
                $"The change to member '{MemberId}' was not committed ({e.GetType().Name}); nothing was applied. Retry with the same request id.");
        }
    }

    private async Task<MemberAccount> RequireAccountAsync()
    {
        await EnsureLoadedAsync();
        if (_account is null)
        {
            // Don't keep an empty activation around for every unknown number a till types.
            DeactivateOnIdle();
            throw new MemberOperationException(RefusalKind.NotFound, "member_id", $"Member '{MemberId}' is not enrolled.");
        }

        return _account;
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
            stored = await _store.LoadAsync(MemberId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLoadFailed(_logger, MemberId, e.Message);
            throw new StorageUnavailableException($"Member '{MemberId}' could not be read from storage ({e.GetType().Name}).");
        }

        _account = stored is null ? null : new MemberAccount(stored.State, _programs, _limits);
        _version = stored?.Version ?? 0;
        _tail = Task.CompletedTask;
        _loaded = true;
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit for member {MemberId} failed, reloading from storage on next call: {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading member {MemberId} failed: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string memberId, string reason);
}
