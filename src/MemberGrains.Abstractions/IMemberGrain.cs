using MemberGrains.Domain;

namespace MemberGrains.Abstractions;

/// <summary>
/// One loyalty member, keyed by member number. Every mutation is acknowledged only after it is
/// committed in Postgres; a refused or failed one changes nothing. Refusals throw
/// <see cref="MemberOperationException"/>; storage failures throw <see cref="StorageUnavailableException"/>.
/// </summary>
[Alias("membergrains.IMemberGrain")]
public interface IMemberGrain : IGrainWithStringKey
{
    /// <summary>
    /// Enrols the member and awards the enrolment bonus. The command names the member it enrols;
    /// one naming another member than the grain key is refused (INVALID_ARGUMENT, field member_id).
    /// </summary>
    [Alias("Enroll")]
    Task<OperationReceipt> EnrollAsync(EnrollCommand command);

    /// <summary>The member as of now, with its lots and open holds.</summary>
    [Alias("Get")]
    Task<MemberSnapshot> GetAsync();

    /// <summary>
    /// The member as of now without its lots and holds (both lists empty; the totals are there):
    /// what a till asks for on every checkout, so it neither builds nor carries the lists.
    /// </summary>
    [Alias("GetSummary")]
    Task<MemberSnapshot> GetSummaryAsync();

    /// <summary>Earns points on a completed purchase.</summary>
    [Alias("Accrue")]
    Task<OperationReceipt> AccrueAsync(AccrueCommand command);

    /// <summary>Sets points aside for a redemption at a till.</summary>
    [Alias("Reserve")]
    Task<OperationReceipt> ReserveAsync(ReserveCommand command);

    /// <summary>Spends the points of an open hold.</summary>
    [Alias("Capture")]
    Task<OperationReceipt> CaptureAsync(CaptureCommand command);

    /// <summary>Gives the points of a hold back.</summary>
    [Alias("Release")]
    Task<OperationReceipt> ReleaseAsync(ReleaseCommand command);

    /// <summary>Refunds (part of) an earlier purchase and takes back the points it earned.</summary>
    [Alias("Refund")]
    Task<OperationReceipt> RefundAsync(RefundCommand command);

    /// <summary>Records a behaviour activity (check-in, review, referral …) and awards its points.</summary>
    [Alias("RecordActivity")]
    Task<OperationReceipt> RecordActivityAsync(ActivityCommand command);

    /// <summary>
    /// Quotes a basket: points it would earn, points that could pay for it and what a redemption
    /// would be decided. Changes nothing. Not marked read-only on purpose: it runs in turn with the
    /// member's mutations, so a quote never sees one half-way.
    /// </summary>
    [Alias("QuoteCheckout")]
    Task<CheckoutQuoteResult> QuoteCheckoutAsync(QuoteCommand command);

    /// <summary>
    /// Brings time-based changes (expiry, tier reviews, lapsed flags, notices) up to date and commits
    /// them together with the member's next due time (so a sweeper never finds the member due again
    /// for nothing). Returns true when something besides the due time changed; false for an unknown member.
    /// </summary>
    [Alias("Touch")]
    Task<bool> TouchAsync();

    /// <summary>
    /// The member's store screen as of its committed state (offers limited to other stores left
    /// out when <paramref name="storeId"/> is given). Computed once per committed version and minute.
    /// </summary>
    [Alias("GetScreenView")]
    Task<ScreenViewInfo> GetScreenViewAsync(string? storeId);

    /// <summary>The member's committed version; cheap, for a watcher's heartbeat.</summary>
    [Alias("GetVersion")]
    Task<long> GetVersionAsync();

    /// <summary>
    /// Tells <paramref name="watcher"/> about every committed change for the next two minutes; call
    /// again to stay registered. Throws NOT_FOUND for an unknown member.
    /// </summary>
    [Alias("Watch")]
    Task WatchAsync(IMemberWatcher watcher);

    /// <summary>Stops telling <paramref name="watcher"/>.</summary>
    [Alias("Unwatch")]
    Task UnwatchAsync(IMemberWatcher watcher);
}
