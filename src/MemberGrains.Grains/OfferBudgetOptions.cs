namespace MemberGrains.Grains;

/// <summary>How campaign budgets are leased to silos (section <c>MemberGrains:Budgets</c>).</summary>
public sealed class OfferBudgetOptions
{
    /// <summary>Configuration section.</summary>
    public const string Section = "MemberGrains:Budgets";

    /// <summary>
    /// How long a lease is valid. Longer: fewer requests to the coordinator; a crashed silo's
    /// unused slice comes back later (after this plus <see cref="GraceSeconds"/>).
    /// </summary>
    public double LeaseSeconds { get; set; } = 30;

    /// <summary>
    /// How long after its expiry a lease is reclaimed. Longer than any commit can take: a use
    /// still being committed when its lease is reclaimed is refused, and its request decided again.
    /// A commit can take the database command timeout (30 s) plus the store's ResolveSeconds.
    /// </summary>
    public double GraceSeconds { get; set; } = 60;

    /// <summary>A silo stops taking from a lease this long before it expires (at most a third of the lease).</summary>
    public double MarginSeconds { get; set; } = 3;

    /// <summary>
    /// A silo asks for its next lease in the background when the current one has less than this
    /// fraction of its units left, or of its time.
    /// </summary>
    public double LowWater { get; set; } = 0.25;

    /// <summary>
    /// Share of what is still available that one lease gets (at least 1 unit, or the size of the
    /// use that asked), so a small budget is not all parked on one silo.
    /// </summary>
    public double SliceFraction { get; set; } = 0.1;

    /// <summary>How long a silo trusts "nothing left" (or a budget's status) before asking the coordinator again.</summary>
    public double RecheckSeconds { get; set; } = 5;

    /// <summary>How often an active coordinator reclaims lapsed leases besides when leases are requested.</summary>
    public double ReclaimSeconds { get; set; } = 15;

    /// <summary>
    /// Most a mutation waits in <c>OfferBudgets.PrepareAsync</c> for a silo's first lease on an
    /// offer; after that its budgeted offers are decided without (not applied).
    /// </summary>
    public double PrepareTimeoutSeconds { get; set; } = 2;

    /// <summary>Most a gracefully stopping silo waits for uses still being committed before it returns its leases.</summary>
    public double ReturnWaitSeconds { get; set; } = 10;
}
