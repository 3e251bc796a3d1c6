using MemberGrains.Domain.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MemberGrains.Persistence;

/// <summary>Registers the member store and the program catalog on a Postgres connection string.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Key of the member store writers' own data source (see <see cref="CreateWriterDataSource"/>).</summary>
    public const string WriterDataSourceKey = "membergrains.member-writes";

    private const string GenericPlans = "-c plan_cache_mode=force_generic_plan";

    /// <summary>The member store (group commit), the reader of its event outbox, and the campaign budgets' repository.</summary>
    public static IServiceCollection AddMemberStore(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => CreateDataSource(connectionString));
        services.AddOptions<MemberStoreOptions>().BindConfiguration(MemberStoreOptions.Section);
        services.TryAddKeyedSingleton(WriterDataSourceKey, (sp, _) =>
            CreateWriterDataSource(connectionString, sp.GetRequiredService<IOptions<MemberStoreOptions>>().Value.Writers));
        services.TryAddSingleton(sp => new MemberStore(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<MemberStoreOptions>>(),
            sp.GetRequiredService<ILogger<MemberStore>>(),
            sp.GetService<TimeProvider>(),
            sp.GetRequiredKeyedService<NpgsqlDataSource>(WriterDataSourceKey)));
        services.TryAddSingleton<IMemberStore>(sp => sp.GetRequiredService<MemberStore>());
        services.TryAddSingleton<MemberEventReader>();
        services.TryAddSingleton<LedgerReader>();
        services.TryAddSingleton<OfferBudgetRepository>();
        return services;
    }

    /// <summary>
    /// The members' data source. Unless the connection string says otherwise, the store's few
    /// statements are prepared on each pooled connection after their second use (they run on every
    /// batch), and a connection going back to the pool is not reset (the store changes no session state).
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) => Builder(connectionString).Build();

    /// <summary>
    /// The data source the member store's writers commit through: a pool of its own with a
    /// connection per writer, so a writer comes back to the same server session each time, where
    /// its statements are already prepared. On the shared pool, which hands out its idle
    /// connections oldest first, a writer went round every connection the loads had opened (65 in
    /// a load test) and prepared its statements again on each. Its sessions plan the store's
    /// statements once (<c>plan_cache_mode = force_generic_plan</c>, unless the connection string's
    /// Options set it). Otherwise as <see cref="CreateDataSource"/>; the pool size the connection
    /// string sets is the shared pool's.
    /// </summary>
    public static NpgsqlDataSource CreateWriterDataSource(string connectionString, int writers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        var builder = Builder(connectionString);
        builder.ConnectionStringBuilder.MaxPoolSize = writers;
        builder.ConnectionStringBuilder.MinPoolSize = Math.Min(builder.ConnectionStringBuilder.MinPoolSize, writers);
        var options = builder.ConnectionStringBuilder.Options;
        if (options?.Contains("plan_cache_mode", StringComparison.OrdinalIgnoreCase) != true)
        {
            // Only the store's own statements run here, whose best plan does not depend on the
            // values (an index lookup per unnested row): planned once per session, not at every
            // batch as PostgreSQL does for the UPDATE … FROM unnest(…) it keeps judging worth a custom plan.
            builder.ConnectionStringBuilder.Options = string.IsNullOrWhiteSpace(options)
                ? GenericPlans
                : $"{options} {GenericPlans}";
        }

        return builder.Build();
    }

    private static NpgsqlDataSourceBuilder Builder(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!SetsKeyword(connectionString, "Max Auto Prepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        if (!SetsKeyword(connectionString, "No Reset On Close"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder;
    }

    /// <summary>
    /// Whether the connection string itself sets <paramref name="keyword"/> (in any case, with or
    /// without spaces: "Max Auto Prepare", "maxautoprepare"), for a default that must not override
    /// what the user gave. Not <see cref="NpgsqlConnectionStringBuilder"/>'s ContainsKey: that
    /// answers whether Npgsql knows the keyword, so it is true for every setting.
    /// </summary>
    public static bool SetsKeyword(string connectionString, string keyword)
    {
        var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var wanted = Squeeze(keyword);
        foreach (string key in parsed.Keys)
        {
            if (Squeeze(key) == wanted)
            {
                return true;
            }
        }

        return false;
    }

    private static string Squeeze(string keyword) => keyword.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>
    /// The programs published in Postgres as the <see cref="IProgramCatalog"/> members decide with:
    /// seeded and loaded when the host starts (register it before Orleans so it is ready before
    /// the first member activates), then kept current by polling.
    /// </summary>
    public static IServiceCollection AddPostgresProgramCatalog(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => CreateDataSource(connectionString));
        services.AddOptions<ProgramCatalogOptions>().BindConfiguration(ProgramCatalogOptions.Section);
        services.TryAddSingleton<ProgramRepository>();
        services.TryAddSingleton(sp => new PostgresProgramCatalog(
            sp.GetRequiredService<ProgramRepository>(),
            sp.GetRequiredService<IOptions<ProgramCatalogOptions>>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILogger<PostgresProgramCatalog>>()));
        services.TryAddSingleton<IProgramCatalog>(sp => sp.GetRequiredService<PostgresProgramCatalog>());
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<PostgresProgramCatalog>());
        return services;
    }
}
