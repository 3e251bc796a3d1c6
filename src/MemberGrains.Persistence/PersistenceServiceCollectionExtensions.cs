using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>Registers the member store on a Postgres connection string.</summary>
public static class PersistenceServiceCollectionExtensions
{
    public static IServiceCollection AddMemberStore(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddOptions<MemberStoreOptions>().BindConfiguration(MemberStoreOptions.Section);
        services.TryAddSingleton<MemberStore>();
        services.TryAddSingleton<IMemberStore>(sp => sp.GetRequiredService<MemberStore>());
        return services;
    }
}
