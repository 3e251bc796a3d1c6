using System.Text.Json;
using MemberGrains.Domain.Rules;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MemberGrains.Persistence;

/// <summary>
/// The programs published in Postgres, cached on this silo. At start it seeds an empty database
/// with the initial program and loads every version; then it polls for a higher version every
/// <see cref="ProgramCatalogOptions.RefreshSeconds"/>. A silo that publishes refreshes at once,
/// so its next decision already uses the new program; other silos follow within one poll.
/// </summary>
public sealed partial class PostgresProgramCatalog : IProgramCatalog, IHostedService, IAsyncDisposable
{
    private readonly ProgramRepository _repository;
    private readonly ProgramCatalogOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresProgramCatalog> _logger;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private volatile Loaded? _loaded;
    private Task? _polling;
    private int _disposed;

    public PostgresProgramCatalog(ProgramRepository repository, IOptions<ProgramCatalogOptions> options, TimeProvider time, ILogger<PostgresProgramCatalog> logger)
    {
        _repository = repository;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc/>
    public ProgramRules Current => (_loaded ?? throw NotLoaded()).Current;

    /// <inheritdoc/>
    public ProgramRules? Find(int version) => (_loaded ?? throw NotLoaded()).Versions.GetValueOrDefault(version);

    /// <summary>Seeds an empty database with the initial program, then loads every version. Throws if the initial document is invalid.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var (document, source) = InitialDocument();
        var seeded = await _repository.SeedAsync(document, source, cancellationToken).ConfigureAwait(false);
        if (seeded is not null)
        {
            LogSeeded(_logger, source);
        }

        await RefreshAsync(cancellationToken).ConfigureAwait(false);
        if (_loaded is null)
        {
            throw new InvalidOperationException("No loyalty program is published in the database.");
        }

        await _repository.DefineBudgetsAsync(_loaded.Current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Loads versions published since the last look; returns whether the active program changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken = default)
    {
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var known = _loaded;
            var seen = known?.SeenThrough ?? 0;
            if (known is not null && await _repository.MaxVersionAsync(cancellationToken).ConfigureAwait(false) <= seen)
            {
                return false;
            }

            var newer = await _repository.LoadAfterAsync(seen, cancellationToken).ConfigureAwait(false);
            if (newer.Count == 0)
            {
                return false;
            }

            var versions = new Dictionary<int, ProgramRules>(known?.Versions ?? new Dictionary<int, ProgramRules>());
            foreach (var published in newer)
            {
                if (Build(published) is { } rules)
                {
                    versions[published.Version] = rules;
                }
                else if (known is null && published.Version == newer[^1].Version)
                {
                    // Starting on an older program than the one published would be a silent surprise.
                    throw new InvalidOperationException($"The active loyalty program (version {published.Version}) can't be used by this build; see the log.");
                }
            }

            if (versions.Count == 0)
            {
                return false;
            }

            var current = versions[versions.Keys.Max()];
            _loaded = new Loaded(current, versions, newer[^1].Version);
            if (known?.Current.Version != current.Version)
            {
                LogActive(_logger, current.Version, known?.Current.Version ?? 0, current.Document.Name);
                return true;
            }

            return false;
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>
    /// Validates and publishes <paramref name="documentJson"/> as the next version, and makes it
    /// active on this silo before returning; or returns every problem and publishes nothing.
    /// </summary>
    public async Task<ProgramPublishResult> PublishAsync(string documentJson, string publishedBy, string note, CancellationToken cancellationToken = default)
    {
        var result = await _repository.PublishAsync(documentJson, publishedBy, note, cancellationToken).ConfigureAwait(false);
        if (result.Published is { } published)
        {
            LogPublished(_logger, published.Version, publishedBy, note);
            try
            {
                await RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // It is published (committed): say so; polling makes it active here as on the other silos.
                LogRefreshFailed(_logger, e.Message);
            }
        }

        return result;
    }

    /// <summary>Loads the programs (seeding if needed), then starts polling.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (_options.RefreshSeconds > 0)
        {
            _polling = PollAsync(TimeSpan.FromSeconds(_options.RefreshSeconds), _stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_polling is not null)
        {
            await _polling.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under several service types: the container may dispose it more than once.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
        _refreshGate.Dispose();
    }

    private static InvalidOperationException NotLoaded() =>
        new("The program catalog has not been loaded yet (it loads when the host starts).");

    private (string Document, string Source) InitialDocument()
    {
        if (!string.IsNullOrWhiteSpace(_options.InitialDocument))
        {
            return (_options.InitialDocument, $"{ProgramCatalogOptions.Section}:{nameof(ProgramCatalogOptions.InitialDocument)}");
        }

        if (!string.IsNullOrWhiteSpace(_options.InitialDocumentPath))
        {
            var path = Path.GetFullPath(_options.InitialDocumentPath);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{ProgramCatalogOptions.Section}:{nameof(ProgramCatalogOptions.InitialDocumentPath)} names '{path}', which does not exist.");
            }

            return (File.ReadAllText(path), path);
        }

        return (DefaultProgram.Json, "the default program");
    }

    private ProgramRules? Build(ProgramVersion published)
    {
        try
        {
            return new ProgramRules(published.Version, ProgramJson.Deserialize(published.DocumentJson));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            LogUnusable(_logger, published.Version, e.Message);
            return null;
        }
    }

    private async Task PollAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, _time);
        var failures = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await RefreshAsync(cancellationToken).ConfigureAwait(false);
                    if (failures > 0)
                    {
                        LogRefreshRecovered(_logger, failures);
                        failures = 0;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Postgres unreachable: keep deciding with the programs already loaded. One
                    // line when checking starts failing and one when it works again, not one a tick.
                    if (failures++ == 0)
                    {
                        LogRefreshFailed(_logger, e.Message);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the empty database with the initial loyalty program from {Source}")]
    private static partial void LogSeeded(ILogger logger, string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published loyalty program version {Version} (by {PublishedBy}: {Note})")]
    private static partial void LogPublished(ILogger logger, int version, string publishedBy, string note);

    [LoggerMessage(Level = LogLevel.Information, Message = "Active loyalty program is now version {Version} (was {Previous}): {Name}")]
    private static partial void LogActive(ILogger logger, int version, int previous, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Loyalty program version {Version} can't be used by this build and is skipped: {Reason}")]
    private static partial void LogUnusable(ILogger logger, int version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checking for a new loyalty program failed; still using the loaded ones until it works again: {Reason}")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checking for a new loyalty program works again after {Failures} failed checks")]
    private static partial void LogRefreshRecovered(ILogger logger, int failures);

    /// <summary>What this silo has loaded: the active program, every usable version, and the highest version looked at.</summary>
    private sealed record Loaded(ProgramRules Current, IReadOnlyDictionary<int, ProgramRules> Versions, int SeenThrough);
}
