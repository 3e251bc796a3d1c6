using System.Collections.Concurrent;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.Silo.Auth;

/// <summary>
/// Checks an API key against the scope a call needs, for gRPC (ApiKeyInterceptor) and for any
/// other edge of the silo (the store screens' HTTP endpoint): key text + needed scope → decision.
/// <para>
/// A silo reads a key's row from Postgres at most once per <see cref="AuthSettings.CacheSeconds"/>
/// (and once at a time, however many calls bring the key meanwhile), so calls never wait for
/// Postgres but the first of a key and one every few seconds. The bound: a key revoked anywhere is
/// refused by every silo within CacheSeconds of the revocation, and at once by the silo that
/// revoked it (<see cref="Forget"/>). When Postgres can't be reached for a recheck, the last answer
/// read is used for up to <see cref="StaleGrace"/> more (a revocation can't be written then
/// either); a key this silo knows nothing recent about is then UNAVAILABLE.
/// </para>
/// </summary>
public sealed partial class ApiKeyAuthorizer
{
    /// <summary>How long past its cache time a key's last answer still serves while Postgres is unreachable.</summary>
    public static readonly TimeSpan StaleGrace = TimeSpan.FromSeconds(60);

    /// <summary>Keys remembered at most; beyond, expired answers are dropped (a flood of made-up ids can't grow the cache without bound).</summary>
    public const int MaxCachedKeys = 10_000;

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private readonly Func<string, CancellationToken, Task<StoredApiKey?>> _read;
    private readonly TimeProvider _time;
    private readonly ILogger<ApiKeyAuthorizer> _logger;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task<Entry>> _reads = new(StringComparer.Ordinal);
    private long _generation;
    private int _staleLogged;

    public ApiKeyAuthorizer(ApiKeyStore store, AuthSettings settings, TimeProvider time, ILogger<ApiKeyAuthorizer> logger)
        : this((store ?? throw new ArgumentNullException(nameof(store))).FindAsync, settings, time, logger)
    {
    }

    /// <summary>An authorizer that reads a key's row with <paramref name="read"/> (<see cref="ApiKeyStore.FindAsync"/>, or a test's stand-in).</summary>
    public ApiKeyAuthorizer(Func<string, CancellationToken, Task<StoredApiKey?>> read, AuthSettings settings, TimeProvider time, ILogger<ApiKeyAuthorizer> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _read = read;
        _time = time;
        _logger = logger;
        Required = settings.Required;
        CacheTime = TimeSpan.FromSeconds(Math.Max(0, settings.CacheSeconds));
    }

    /// <summary>Whether calls without a key are refused (MemberGrains:Auth:Required).</summary>
    public bool Required { get; }

    /// <summary>How long an answer read from Postgres is trusted: the revocation bound.</summary>
    public TimeSpan CacheTime { get; }

    /// <summary>
    /// Whether <paramref name="keyText"/> may call <paramref name="resource"/> (named in the refusal:
    /// "membergrains.v1.PointOfSale"), which needs <paramref name="needed"/>. No key is allowed only
    /// while keys are not required; a key sent is checked either way.
    /// </summary>
    public async ValueTask<ApiKeyDecision> AuthorizeAsync(string? keyText, ApiKeyScope needed, string resource, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(keyText))
        {
            return Required ? ApiKeyDecision.Refuse(ApiKeyVerification.Missing, null, needed) : ApiKeyDecision.Allow(null, needed);
        }

        if (ApiKeyText.Parse(keyText) is not { } key)
        {
            return ApiKeyDecision.Refuse(ApiKeyVerification.Malformed, null, needed);
        }

        StoredApiKey? stored;
        try
        {
            stored = await FindAsync(key.KeyId, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyStoreUnreachableException)
        {
            return ApiKeyDecision.Unchecked(needed);
        }

        var verification = ApiKeyVerification.Check(key, stored);
        if (!verification.IsValid)
        {
            return ApiKeyDecision.Refuse(verification, key.KeyId, needed);
        }

        return ApiKeyScopes.Covers(verification.Key!.Scope, needed)
            ? ApiKeyDecision.Allow(verification.Key, needed)
            : ApiKeyDecision.Deny(verification.Key, needed, resource);
    }

    /// <summary>
    /// Drops what this silo knows about the key (and any read of it in flight), so its next call
    /// reads the row again: called after the key was revoked (or created) through this silo.
    /// </summary>
    public void Forget(string keyId)
    {
        Interlocked.Increment(ref _generation);
        _reads.TryRemove(keyId, out _);
        _cache.TryRemove(keyId, out _);
    }

    private async ValueTask<StoredApiKey?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        _cache.TryGetValue(keyId, out var cached);
        if (cached is not null && now - cached.ReadAt < CacheTime)
        {
            return cached.Key;
        }

        try
        {
            var entry = await ReadAsync(keyId).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _staleLogged, 0) == 1)
            {
                LogReachable(_logger);
            }

            return entry.Key;
        }
        catch (Exception e) when (IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            if (cached is not null && now - cached.ReadAt < CacheTime + StaleGrace)
            {
                if (Interlocked.Exchange(ref _staleLogged, 1) == 0)
                {
                    LogStale(_logger, StaleGrace.TotalSeconds, e.Message);
                }

                return cached.Key;
            }

            throw new KeyStoreUnreachableException(e);
        }
    }

    /// <summary>The key's row, read once however many calls wait for it.</summary>
    private Task<Entry> ReadAsync(string keyId)
    {
        while (true)
        {
            if (_reads.TryGetValue(keyId, out var running))
            {
                return running;
            }

            var done = new TaskCompletionSource<Entry>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_reads.TryAdd(keyId, done.Task))
            {
                _ = RunReadAsync(keyId, done);
                return done.Task;
            }
        }
    }

    private async Task RunReadAsync(string keyId, TaskCompletionSource<Entry> done)
    {
        // What is read reflects every revocation committed before the read began: the answer counts from then.
        var generation = Interlocked.Read(ref _generation);
        var readAt = _time.GetUtcNow();
        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout, _time);
            var entry = new Entry(await _read(keyId, timeout.Token).ConfigureAwait(false), readAt);
            if (Interlocked.Read(ref _generation) == generation)
            {
                MakeRoom(readAt);
                _cache[keyId] = entry;
            }

            done.SetResult(entry);
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
        finally
        {
            _reads.TryRemove(new KeyValuePair<string, Task<Entry>>(keyId, done.Task));
        }
    }

    private void MakeRoom(DateTimeOffset now)
    {
        if (_cache.Count < MaxCachedKeys)
        {
            return;
        }

        foreach (var (id, entry) in _cache)
        {
            if (now - entry.ReadAt >= CacheTime)
            {
                _cache.TryRemove(id, out _);
            }
        }

        if (_cache.Count >= MaxCachedKeys)
        {
            _cache.Clear();
        }
    }

    private static bool IsUnreachable(Exception e) => e is TimeoutException or OperationCanceledException
        || (e is NpgsqlException && e is not PostgresException)
        || (e is PostgresException { SqlState: var state } && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57", StringComparison.Ordinal)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "API keys can't be rechecked in PostgreSQL ({Reason}); keys this silo checked recently stay valid for up to {Seconds} s more, others are UNAVAILABLE")]
    private static partial void LogStale(ILogger logger, double seconds, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys are rechecked in PostgreSQL again")]
    private static partial void LogReachable(ILogger logger);

    /// <summary>What a silo last read about a key: its row (null: no such key), and when the read began.</summary>
    private sealed record Entry(StoredApiKey? Key, DateTimeOffset ReadAt);

    private sealed class KeyStoreUnreachableException(Exception inner) : Exception("The API key store is unreachable.", inner);
}
