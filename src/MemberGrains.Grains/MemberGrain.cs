using MemberGrains.Abstractions;
using MemberGrains.Domain;
using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging;

namespace MemberGrains.Grains;

/// <summary>
/// A loyalty member in memory, written through to Postgres. Mutations run one at a time (the grain
/// is not reentrant): validate, apply to the in-memory account, commit state + ledger rows, answer.
/// If the commit fails the in-memory account is dropped and reloaded from Postgres on the next
/// call, so memory never holds a change Postgres does not have.
/// </summary>
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

    public MemberGrain(IMemberStore store, MemberClock clock, IProgramCatalog programs, AccountLimits limits, ILogger<MemberGrain> logger)
    {
        _store = store;
        _clock = clock;
        _programs = programs;
        _limits = limits;
        _logger = logger;
    }

    private string MemberId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken) => EnsureLoadedAsync(cancellationToken);

    public async Task<OperationReceipt> EnrollAsync(EnrollRequest request)
    {
        await EnsureLoadedAsync(CancellationToken.None);
        var now = _clock.UtcNow;
        var command = request.ToCommand(MemberId);
        try
        {
            if (_account is not null)
            {
                return _account.ReplayEnroll(command, now).ToDto(replayed: true);
            }

            var (account, receipt) = MemberAccount.Enroll(command, _programs, _limits, now);
            _account = account;
            await CommitAsync(now);
            return receipt.ToDto(replayed: false);
        }
        catch (DomainException e)
        {
            throw e.ToRefusal();
        }
    }

    public async Task<MemberSnapshot> GetAsync()
    {
        var account = await RequireAccountAsync();
        return account.View(_clock.UtcNow).ToDto();
    }

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

    public async Task<CheckoutQuoteResult> QuoteCheckoutAsync(QuoteRequest request)
    {
        var account = await RequireAccountAsync();
        try
        {
            return account.Quote(request.ToCommand(), _clock.UtcNow).ToDto();
        }
        catch (DomainException e)
        {
            throw e.ToRefusal();
        }
    }

    public async Task<bool> TouchAsync()
    {
        await EnsureLoadedAsync(CancellationToken.None);
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
        var account = await RequireAccountAsync();
        var now = _clock.UtcNow;
        Outcome outcome;
        try
        {
            outcome = operation(account, now);
        }
        catch (DomainException e)
        {
            // Refusals are raised before anything changes: the account is still what Postgres holds.
            throw e.ToRefusal();
        }
        catch
        {
            // Anything else may have left a half-applied change: forget memory, reload next time.
            Invalidate();
            throw;
        }

        if (!outcome.Replayed)
        {
            await CommitAsync(now);
        }

        return outcome.Receipt.ToDto(outcome.Replayed);
    }

    private async Task CommitAsync(DateTimeOffset now)
    {
        var account = _account!;
        var write = MemberWrite.Create(account.State, _version, account.DrainLedger(), account.DrainEvents(), account.NextDueAt(now), now);
        try
        {
            await _store.CommitAsync(write);
            _version = write.NewVersion;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Invalidate();
            LogCommitFailed(_logger, MemberId, e.Message);
            throw new StorageUnavailableException(
                $"The change to member '{MemberId}' was not committed ({e.GetType().Name}); nothing was applied. Retry with the same request id.");
        }
    }

    private async Task<MemberAccount> RequireAccountAsync()
    {
        await EnsureLoadedAsync(CancellationToken.None);
        if (_account is null)
        {
            // Don't keep an empty activation around for every unknown number a till types.
            DeactivateOnIdle();
            throw new MemberOperationException(RefusalKind.NotFound, "member_id", $"Member '{MemberId}' is not enrolled.");
        }

        return _account;
    }

    private async Task EnsureLoadedAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }

        StoredMember? stored;
        try
        {
            stored = await _store.LoadAsync(MemberId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogLoadFailed(_logger, MemberId, e.Message);
            throw new StorageUnavailableException($"Member '{MemberId}' could not be read from storage ({e.GetType().Name}).");
        }

        _account = stored is null ? null : new MemberAccount(stored.State, _programs, _limits);
        _version = stored?.Version ?? 0;
        _loaded = true;
    }

    private void Invalidate()
    {
        _account = null;
        _version = 0;
        _loaded = false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Commit for member {MemberId} failed, reloading from storage on next call: {Reason}")]
    private static partial void LogCommitFailed(ILogger logger, string memberId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loading member {MemberId} failed: {Reason}")]
    private static partial void LogLoadFailed(ILogger logger, string memberId, string reason);
}
