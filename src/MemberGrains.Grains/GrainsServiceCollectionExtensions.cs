using MemberGrains.Domain;
using MemberGrains.Domain.Offers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MemberGrains.Persistence;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MemberGrains.Grains;

/// <summary>Registers what member grains need besides the store and the program catalog.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Default limits, and the registered TimeProvider (or the system clock) for members unless a
    /// MemberClock is registered (for budgets unless a BudgetClock is); this silo's campaign
    /// budgets (<see cref="OfferBudgets"/>, also the <see cref="IOfferBudget"/> members take
    /// budget from, returning its leases when the silo stops) with options from <see cref="OfferBudgetOptions.Section"/>.
    /// </summary>
    public static IServiceCollection AddMemberGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new MemberClock(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(AccountLimits.Default);
        services.TryAddSingleton<IMemoryLease, AlwaysHeldLease>();
        services.TryAddSingleton(sp => new MemberStorageFaults(new FaultLog("Member storage", sp.GetRequiredService<ILogger<MemberStorageFaults>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        services.AddOptions<OfferBudgetOptions>().BindConfiguration(OfferBudgetOptions.Section);
        services.TryAddSingleton(sp => new BudgetClock(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<OfferBudgets>();
        services.TryAddSingleton<IOfferBudget>(sp => sp.GetRequiredService<OfferBudgets>());
        // Its stopping and stopped steps run around the silo's own stop, wherever it is registered.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OfferBudgets>(sp => sp.GetRequiredService<OfferBudgets>()));
        return services;
    }
}
