using MemberGrains.Domain;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MemberGrains.Grains;

/// <summary>Registers what member grains need besides the store.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>Base rules in <paramref name="timeZoneId"/> (IANA id), default limits, the registered TimeProvider (or the system clock) for members unless a MemberClock is registered.</summary>
    public static IServiceCollection AddMemberGrainServices(this IServiceCollection services, string timeZoneId)
    {
        services.TryAddSingleton(sp => new MemberClock(sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<ILoyaltyRules>(new BaseLoyaltyRules(TimeZoneInfo.FindSystemTimeZoneById(timeZoneId)));
        services.TryAddSingleton(AccountLimits.Default);
        return services;
    }
}
