using MemberGrains.Domain;

namespace MemberGrains.Persistence;

/// <summary>
/// One member's change, ready to commit: the whole new state (serialised on the caller's thread,
/// so the writer never reads a live object) and the ledger rows, events and offer uses the change produced.
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

    public required string StateJson { get; init; }

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
    /// the last one's state and new version, every change's ledger rows, events and offer uses in order.
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
        };
    }

    public static MemberWrite Create(
        MemberState state,
        long expectedVersion,
        IReadOnlyList<LedgerEntry> ledger,
        IReadOnlyList<MemberEvent> events,
        DateTimeOffset? dueAt,
        DateTimeOffset now,
        IReadOnlyList<OfferUseRow>? offerUses = null) => new()
    {
        MemberId = state.MemberId,
        ExpectedVersion = expectedVersion,
        NewVersion = expectedVersion + 1,
        Balance = state.Balance,
        Tier = state.Tier.ToString(),
        EnrolledAt = state.EnrolledAt,
        UpdatedAt = now,
        StateJson = MemberStateJson.Serialize(state),
        Ledger = ledger,
        Events = events,
        OfferUses = offerUses ?? [],
        DueAt = dueAt,
    };
}
