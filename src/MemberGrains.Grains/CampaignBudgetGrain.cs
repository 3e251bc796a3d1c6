using MemberGrains.Abstractions.Grains;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemberGrains.Grains;

/// <summary>
/// Coordinates one offer's campaign budget. Every decision is one statement in Postgres (see
/// <see cref="OfferBudgetRepository"/> and schema 0006): this grain adds only the lease length,
/// slice size and grace from <see cref="OfferBudgetOptions"/>, and a timer that reclaims lapsed
/// leases while it is active. Silos reach it in the background only.
/// </summary>
public sealed partial class CampaignBudgetGrain(
    OfferBudgetRepository repository,
    BudgetClock clock,
    IOptions<OfferBudgetOptions> options,
    ILogger<CampaignBudgetGrain> logger) : Grain, ICampaignBudgetGrain
{
    private readonly OfferBudgetOptions _options = options.Value;
    private bool _reclaimFailing;

    private string OfferId => this.GetPrimaryKeyString();

    private TimeSpan Grace => TimeSpan.FromSeconds(Math.Max(0, _options.GraceSeconds));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, _options.ReclaimSeconds));
        // Not kept alive by its timer: an idle coordinator goes away, and the next request reclaims.
        this.RegisterGrainTimer(ReclaimOnTimerAsync, new GrainTimerCreationOptions(period, period) { KeepAlive = false });
        return base.OnActivateAsync(cancellationToken);
    }

    public async Task<BudgetLeaseGrant> RequestLeaseAsync(string silo, long atLeast)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(1, _options.LeaseSeconds));
        var grant = await repository.GrantAsync(OfferId, silo, atLeast, _options.SliceFraction, duration, Grace, clock.UtcNow);
        if (grant.LeaseId is { } id)
        {
            LogGranted(logger, OfferId, id, grant.Amount, silo, grant.Available ?? 0);
        }

        return new BudgetLeaseGrant
        {
            LeaseId = grant.LeaseId,
            Amount = grant.Amount,
            Duration = duration,
            Status = new CampaignBudgetStatus
            {
                OfferId = OfferId,
                Defined = grant.Total is not null,
                Unit = grant.Unit is { } unit ? UnitName(unit) : string.Empty,
                Total = grant.Total ?? 0,
                Available = grant.Available ?? 0,
                Revision = grant.Revision ?? 0,
                Held = -1,
                Spent = -1,
                OpenLeases = -1,
            },
        };
    }

    public async Task<CampaignBudgetStatus> ReturnLeaseAsync(long leaseId)
    {
        var used = await repository.ReturnAsync(leaseId, clock.UtcNow);
        if (used is { } units)
        {
            LogReturned(logger, OfferId, leaseId, units);
        }

        return await GetStatusAsync();
    }

    public async Task<CampaignBudgetStatus> GetStatusAsync() => ToStatus(OfferId, await repository.ReadAsync(OfferId));

    public async Task<int> ReclaimAsync()
    {
        var reclaimed = await repository.ReclaimAsync(OfferId, Grace, clock.UtcNow);
        if (reclaimed > 0)
        {
            LogReclaimed(logger, OfferId, reclaimed);
        }

        return reclaimed;
    }

    private static CampaignBudgetStatus ToStatus(string offerId, OfferBudgetStatus? status) => status is null
        ? new CampaignBudgetStatus { OfferId = offerId }
        : new CampaignBudgetStatus
        {
            OfferId = offerId,
            Defined = true,
            Unit = UnitName(status.Unit),
            Total = status.Total,
            Available = status.Available,
            Held = status.Held,
            Spent = status.Spent,
            OpenLeases = status.OpenLeases,
            Revision = status.Revision,
        };

    private static string UnitName(OfferBudgetUnit unit) => unit switch
    {
        OfferBudgetUnit.Money => "money",
        OfferBudgetUnit.Points => "points",
        _ => "uses",
    };

    private async Task ReclaimOnTimerAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReclaimAsync();
            _reclaimFailing = false;
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // The next tick or lease request tries again; one line per run of failures.
            if (!_reclaimFailing)
            {
                _reclaimFailing = true;
                LogReclaimFailed(logger, OfferId, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offer {OfferId}: lease {LeaseId} of {Amount} units granted to {Silo}; {Available} left to grant")]
    private static partial void LogGranted(ILogger logger, string offerId, long leaseId, long amount, string silo, long available);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Offer {OfferId}: lease {LeaseId} returned, {Used} units used")]
    private static partial void LogReturned(ILogger logger, string offerId, long leaseId, long used);

    [LoggerMessage(Level = LogLevel.Information, Message = "Offer {OfferId}: {Count} lapsed lease(s) reclaimed; their unused units are available again")]
    private static partial void LogReclaimed(ILogger logger, string offerId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Offer {OfferId}: reclaiming lapsed leases failed ({Reason}); retrying on the next tick or lease request")]
    private static partial void LogReclaimFailed(ILogger logger, string offerId, string reason);
}
