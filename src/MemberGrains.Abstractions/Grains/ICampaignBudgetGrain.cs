namespace MemberGrains.Abstractions.Grains;

/// <summary>
/// The coordinator of one offer's campaign budget (keyed by offer id): grants silos leases on
/// slices of it, takes them back, and reclaims those that lapsed (a crashed silo's). It holds no
/// truth of its own: every figure is in Postgres, and every grant is a conditional statement
/// there, so a second activation (or another cluster on the same database) can't overspend
/// either. Silos call it in the background, never on a checkout's path.
/// </summary>
[Alias("membergrains.ICampaignBudgetGrain")]
public interface ICampaignBudgetGrain : IGrainWithStringKey
{
    /// <summary>
    /// Grants <paramref name="silo"/> a lease: a slice of what is available (a fraction of it, so a
    /// small budget is not all parked on one silo), at least <paramref name="atLeast"/> units, or
    /// none if that much isn't available. Lapsed leases are reclaimed first.
    /// </summary>
    [Alias("RequestLease")]
    Task<BudgetLeaseGrant> RequestLeaseAsync(string silo, long atLeast);

    /// <summary>
    /// Closes a lease its silo is done with (no change using it is still being committed): what
    /// its uses took stays spent, the rest is available again.
    /// </summary>
    [Alias("ReturnLease")]
    Task<CampaignBudgetStatus> ReturnLeaseAsync(long leaseId);

    /// <summary>The budget as committed in Postgres now.</summary>
    [Alias("GetStatus")]
    Task<CampaignBudgetStatus> GetStatusAsync();

    /// <summary>Closes the leases past their expiry by more than the grace period; how many.</summary>
    [Alias("Reclaim")]
    Task<int> ReclaimAsync();
}
