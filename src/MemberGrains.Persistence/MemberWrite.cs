using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>
/// One member's change, ready to commit: the new core document and the parts the change touched
/// (serialised on the caller's thread, so the writer never reads a live object) and the ledger
/// rows, events and offer uses the change produced.
/// </summary>
public sealed record MemberWrite
{
    public required string MemberId { get; init; }

    /// <summary>The version the change was made on; 0 for a member not yet stored (enrolment).</summary>
    public required long ExpectedVersion { get; init; }

    public required long Balance { get; init; }

    public required string Tier { get; init; }

    public required DateTimeOffset EnrolledAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The member's core document (<see cref="MemberStateJson.SerializeCore"/>).</summary>
    public required string StateJson { get; init; }

    /// <summary>Parts (lots, holds, purchases, answered requests) the change added, changed or removed.</summary>
    public PartChanges Parts { get; init; } = PartChanges.None;

    public required IReadOnlyList<LedgerEntry> Ledger { get; init; }

    /// <summary>Events for automations, committed in the outbox with this change.</summary>
    public required IReadOnlyList<MemberEvent> Events { get; init; }

    /// <summary>
    /// Offers the change applied or gave back, committed in <c>offer_use</c> with it (none by default).
    /// A use naming a closed budget lease fails the whole write with <see cref="OfferLeaseClosedException"/>.
    /// </summary>
    public IReadOnlyList<OfferUseRow> OfferUses { get; init; } = [];

    /// <summary>The next instant a time-based rule has something to do for this member (null: nothing scheduled); the sweeper touches members that are due.</summary>
    public required DateTimeOffset? DueAt { get; init; }

    /// <summary>The version the member has once this write is committed (one more than expected, or more for several changes committed as one).</summary>
    public required long NewVersion { get; init; }

    /// <summary>
    /// One write for consecutive changes of the same member: the first one's expected version,
    /// the last one's state and new version, every change's ledger rows, events and offer uses in
    /// order, and each part as the last change to touch it left it.
    /// </summary>
    public static MemberWrite Combine(IReadOnlyList<MemberWrite> changes)
    {
        var first = changes[0];
        var last = changes[^1];
        return last with
        {
            ExpectedVersion = first.ExpectedVersion,
            Ledger = [.. changes.SelectMany(c => c.Ledger)],
            Events = [.. changes.SelectMany(c => c.Events)],
            OfferUses = [.. changes.SelectMany(c => c.OfferUses)],
            Parts = PartChanges.Combine(changes.Select(c => c.Parts)),
        };
    }

    /// <summary>
    /// The write of <paramref name="account"/>'s changes since <paramref name="parts"/> (which is
    /// advanced to it: the caller keeps it for the next write, and drops it with memory if this
    /// write fails): its state, the ledger rows and events it drained, its next due time.
    /// </summary>
    public static MemberWrite Create(
        MemberAccount account,
        MemberParts parts,
        long expectedVersion,
        DateTimeOffset now,
        IReadOnlyList<OfferUseRow>? offerUses = null)
    {
        var state = account.State;
        return new()
        {
            MemberId = state.MemberId,
            ExpectedVersion = expectedVersion,
            NewVersion = expectedVersion + 1,
            Balance = state.Balance,
            Tier = state.Tier.ToString(),
            EnrolledAt = state.EnrolledAt,
            UpdatedAt = now,
            StateJson = MemberStateJson.SerializeCore(state),
            Parts = parts.Advance(state, account.Limits, now),
            Ledger = account.DrainLedger(),
            Events = account.DrainEvents(),
            OfferUses = offerUses ?? [],
            DueAt = account.NextDueAt(now),
        };
    }
}
