using MemberGrains.Domain.Rules;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>Publishing, numbering, seeding and refreshing programs on a real Postgres.</summary>
public sealed class ProgramCatalogTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private NpgsqlDataSource _dataSource = null!;

    private ProgramRepository Repository => new(_dataSource);

    public async ValueTask InitializeAsync() =>
        _dataSource = NpgsqlDataSource.Create(await SharedPostgres.CreateDatabaseAsync("programs"));

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task LoadAsync_EmptyDatabase_SeedsTheDefaultProgramAsVersion1()
    {
        await using var catalog = Catalog();

        await catalog.LoadAsync(Ct);

        Assert.Equal(1, catalog.Current.Version);
        Assert.Equal(DefaultProgram.Document.Name, catalog.Current.Document.Name);
        var seeded = Assert.Single(await Repository.LoadAllAsync(Ct));
        Assert.Equal(ProgramJson.Serialize(DefaultProgram.Document), seeded.DocumentJson);
    }

    [Fact]
    public async Task LoadAsync_InitialDocumentPathConfigured_SeedsThatDocument()
    {
        await using var catalog = Catalog(new ProgramCatalogOptions { InitialDocumentPath = TestPrograms.FlatPath });

        await catalog.LoadAsync(Ct);

        Assert.Equal(1, catalog.Current.Version);
        Assert.Equal(ProgramJson.Deserialize(TestPrograms.FlatJson).Name, catalog.Current.Document.Name);
    }

    [Fact]
    public async Task LoadAsync_InlineInitialDocument_WinsOverThePath()
    {
        var inline = TestPrograms.FlatWith(d => d["name"] = "Inline program");
        await using var catalog = Catalog(new ProgramCatalogOptions { InitialDocument = inline, InitialDocumentPath = TestPrograms.FlatPath });

        await catalog.LoadAsync(Ct);

        Assert.Equal("Inline program", catalog.Current.Document.Name);
    }

    [Fact]
    public async Task LoadAsync_InvalidInitialDocument_FailsListingTheProblemsAndSeedsNothing()
    {
        var invalid = TestPrograms.FlatWith(d => d["timeZone"] = "Mars/Olympus_Mons");
        await using var catalog = Catalog(new ProgramCatalogOptions { InitialDocument = invalid });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.LoadAsync(Ct));

        Assert.Contains("MemberGrains:Program:InitialDocument", e.Message, StringComparison.Ordinal);
        Assert.Contains("timeZone", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Repository.MaxVersionAsync(Ct));
    }

    [Fact]
    public async Task SiloStart_InvalidInitialDocument_StopsListingTheProblems()
    {
        var invalid = TestPrograms.FlatWith(d => d["timeZone"] = "Mars/Olympus_Mons");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => TestSilo.StartAsync(
            _dataSource.ConnectionString,
            new Dictionary<string, string?> { ["MemberGrains:Program:InitialDocument"] = invalid }));

        Assert.Contains("timeZone", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, await Repository.MaxVersionAsync(Ct));
    }

    [Fact]
    public async Task LoadAsync_InitialDocumentPathMissing_FailsNamingThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-program-{Guid.NewGuid():N}.json");
        await using var catalog = Catalog(new ProgramCatalogOptions { InitialDocumentPath = path });

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => catalog.LoadAsync(Ct));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ProgramsAlreadyPublished_SeedsNothingAndLoadsEveryVersion()
    {
        await Repository.SeedAsync(TestPrograms.FlatJson, "test", Ct);
        await Repository.PublishAsync(TestPrograms.FlatWith(d => d["name"] = "Second"), "tester", "second", Ct);
        await using var catalog = Catalog(new ProgramCatalogOptions { InitialDocument = DefaultProgram.Json });

        await catalog.LoadAsync(Ct);

        Assert.Equal(2, catalog.Current.Version);
        Assert.Equal("Second", catalog.Current.Document.Name);
        Assert.Equal(ProgramJson.Deserialize(TestPrograms.FlatJson).Name, catalog.Find(1)!.Document.Name);
        Assert.Null(catalog.Find(3));
        Assert.Equal(2, (await Repository.LoadAllAsync(Ct)).Count);
    }

    [Fact]
    public async Task PublishAsync_ValidDocuments_NumberedOneAboveTheHighestAndActiveAtOnce()
    {
        await using var catalog = Catalog(new ProgramCatalogOptions { InitialDocumentPath = TestPrograms.FlatPath });
        await catalog.LoadAsync(Ct);

        var second = await catalog.PublishAsync(TestPrograms.FlatWith(d => d["earning"]!["enrollmentBonus"] = 300), "alice", "bigger welcome", Ct);
        var third = await catalog.PublishAsync(TestPrograms.FlatWith(d => d["earning"]!["enrollmentBonus"] = 50), "bob", string.Empty, Ct);

        Assert.Empty(second.Problems);
        Assert.Equal(2, second.Published!.Version);
        Assert.Equal(3, third.Published!.Version);
        Assert.Equal(3, catalog.Current.Version);
        Assert.Equal(50, catalog.Current.Document.Earning.EnrollmentBonus);
        Assert.Equal(300, catalog.Find(2)!.Document.Earning.EnrollmentBonus);
        var stored = await Repository.FindAsync(2, Ct);
        Assert.Equal(("alice", "bigger welcome"), (stored!.PublishedBy, stored.Note));
        Assert.Equal(300, ProgramJson.Deserialize(stored.DocumentJson).Earning.EnrollmentBonus);
        Assert.Equal([1, 2, 3], (await Repository.LoadAllAsync(Ct)).Select(p => p.Version));
    }

    [Fact]
    public async Task PublishAsync_DocumentWithSeveralProblems_ReturnsEveryProblemAndPublishesNothing()
    {
        await Repository.SeedAsync(TestPrograms.FlatJson, "test", Ct);
        var invalid = TestPrograms.FlatWith(d =>
        {
            d["timeZone"] = "Mars/Olympus_Mons";
            d["earning"]!["enrollmentBonus"] = -5;
        });

        var result = await Repository.PublishAsync(invalid, "tester", "broken", Ct);

        Assert.Null(result.Published);
        var paths = result.Problems.Select(p => p.Path).ToList();
        Assert.Contains("timeZone", paths);
        Assert.Contains("earning.enrollmentBonus", paths);
        Assert.All(result.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
        Assert.Equal(1, await Repository.MaxVersionAsync(Ct));
    }

    [Fact]
    public async Task PublishAsync_NotJson_OneProblemForTheDocument()
    {
        var result = await Repository.PublishAsync("{ this is not json", "tester", string.Empty, Ct);

        Assert.Null(result.Published);
        Assert.NotEmpty(result.Problems);
        Assert.Equal(0, await Repository.MaxVersionAsync(Ct));
    }

    [Fact]
    public async Task PublishAsync_ManyPublishersAtOnce_DistinctGapFreeVersions()
    {
        await Repository.SeedAsync(TestPrograms.FlatJson, "test", Ct);
        // Separate repositories over separate data sources: as separate silos would publish.
        var publishers = Enumerable.Range(0, 8).Select(async i =>
        {
            await using var dataSource = NpgsqlDataSource.Create(_dataSource.ConnectionString);
            var result = await new ProgramRepository(dataSource).PublishAsync(TestPrograms.FlatWith(d => d["name"] = $"Concurrent {i}"), $"publisher-{i}", string.Empty, Ct);
            return result.Published!.Version;
        });

        var versions = await Task.WhenAll(publishers);

        Assert.Equal(Enumerable.Range(2, 8), versions.Order());
        Assert.Equal(9, await Repository.MaxVersionAsync(Ct));
    }

    [Fact]
    public async Task Polling_AnotherSiloPublishes_PickedUpWithinOneInterval()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var options = new ProgramCatalogOptions { InitialDocumentPath = TestPrograms.FlatPath, RefreshSeconds = 2 };
        await using var publisher = Catalog(options);
        await using var follower = Catalog(options, time);
        await publisher.StartAsync(Ct);
        await follower.StartAsync(Ct);

        var published = await publisher.PublishAsync(TestPrograms.FlatWith(d => d["name"] = "Published elsewhere"), "alice", string.Empty, Ct);

        Assert.Equal(2, publisher.Current.Version);
        Assert.Equal(1, follower.Current.Version);
        time.Advance(TimeSpan.FromSeconds(2));
        await Eventually.UntilAsync(
            $"the follower's refresh to pick up version {published.Published!.Version}",
            () => follower.Current.Version == published.Published!.Version);
        Assert.Equal("Published elsewhere", follower.Current.Document.Name);
        Assert.NotNull(follower.Find(1));
        await follower.StopAsync(Ct);
        await publisher.StopAsync(Ct);
    }

    [Fact]
    public async Task StoredVersion_UpdateOrDelete_Refused()
    {
        await Repository.SeedAsync(TestPrograms.FlatJson, "test", Ct);
        var db = new Db(_dataSource.ConnectionString);

        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("UPDATE loyalty_program SET note = 'changed'"));
        await Assert.ThrowsAsync<PostgresException>(() => db.ExecuteAsync("DELETE FROM loyalty_program"));
        Assert.Equal(1, await Repository.MaxVersionAsync(Ct));
    }

    private PostgresProgramCatalog Catalog(ProgramCatalogOptions? options = null, TimeProvider? time = null) => new(
        Repository,
        Options.Create(options ?? new ProgramCatalogOptions { RefreshSeconds = 0 }),
        time ?? new FakeTimeProvider(DateTimeOffset.UnixEpoch),
        NullLogger<PostgresProgramCatalog>.Instance);
}
