using MemberGrains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging;

namespace MemberGrains.Grains;

/// <summary>Registers what member grains need besides the store and the program catalog.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>Default limits, and the registered TimeProvider (or the system clock) for members unless a MemberClock is registered.</summary>
    public static IServiceCollection AddMemberGrainServices(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => new MemberClock(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton(AccountLimits.Default);
        services.TryAddSingleton<IMemoryLease, AlwaysHeldLease>();
        services.TryAddSingleton(sp => new MemberStorageFaults(new FaultLog("Member storage", sp.GetRequiredService<ILogger<MemberStorageFaults>>(), sp.GetService<TimeProvider>() ?? TimeProvider.System)));
        return services;
    }
}
