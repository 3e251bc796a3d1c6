using MemberGrains.Domain.Rules;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.LoadTests.Population;

/// <summary>
/// The program members are enrolled under: the database's active program, after seeding an empty
/// database the way the silo would (its initial document setting, else the shipped default).
/// </summary>
internal static class ProgramSetup
{
    public const string InitialDocumentPathKey = "MemberGrains:Program:InitialDocumentPath";

    public static async Task<StaticProgramCatalog> LoadAsync(string connectionString, IReadOnlyList<string> siloSettings, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var repository = new ProgramRepository(dataSource);
        var (document, source) = (DefaultProgram.Json, "the default program (load test)");
        foreach (var pair in siloSettings)
        {
            var (key, value) = Hosting.SiloSettingsArguments.Parse(pair);
            if (string.Equals(key, InitialDocumentPathKey, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value))
            {
                (document, source) = (await File.ReadAllTextAsync(value, cancellationToken), value);
            }
        }

        await repository.SeedAsync(document, source, cancellationToken);
        var versions = await repository.LoadAllAsync(cancellationToken);
        var active = versions[^1];
        return new StaticProgramCatalog(ProgramJson.Deserialize(active.DocumentJson), active.Version);
    }
}
