using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Silo;
using MemberGrains.Silo.Auth;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// The silo's key check and its cache, on a driven clock: a key is read from Postgres once per
/// cache time however many calls bring it, a key revoked on another silo is refused here once
/// the cache time has passed (the documented bound) and not before, Forget makes it at once, and
/// a recheck that can't reach Postgres keeps the last answer for the grace time only.
/// </summary>
public sealed class ApiKeyAuthorizerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));
    private NpgsqlDataSource _dataSource = null!;
    private ApiKeyStore _store = null!;
    private int _reads;
    private bool _down;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await SharedPostgres.CreateDatabaseAsync("authorizer"));
        _store = new ApiKeyStore(_dataSource);
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task AuthorizeAsync_ManyCallsWithinTheCacheTime_OneRead()
    {
        var authorizer = Authorizer(cacheSeconds: 5);
        var key = (await _store.CreateAsync("till", ApiKeyScope.Pos, "tests", Ct)).KeyText;

        var decisions = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ => await authorizer.AuthorizeAsync(key, ApiKeyScope.Pos, "PointOfSale", Ct)));
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var later = await authorizer.AuthorizeAsync(key, ApiKeyScope.Screen, "StoreScreen", Ct);

        Assert.All(decisions, d => Assert.True(d.Allowed));
        Assert.True(later.Allowed);
        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task AuthorizeAsync_KeyRevokedOnAnotherSilo_RefusedOnceTheCacheTimePassedNotBefore()
    {
        var authorizer = Authorizer(cacheSeconds: 5);
        var created = await _store.CreateAsync("till", ApiKeyScope.Pos, "tests", Ct);
        Assert.True((await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Pos, "PointOfSale", Ct)).Allowed);

        await _store.RevokeAsync(created.Info.KeyId, Ct);
        _time.Advance(TimeSpan.FromSeconds(4.999));
        var justBefore = await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Pos, "PointOfSale", Ct);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var atTheBound = await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Pos, "PointOfSale", Ct);

        Assert.True(justBefore.Allowed);
        Assert.Equal(ApiKeyOutcome.Unauthenticated, atTheBound.Outcome);
        Assert.Equal(ApiKeyFailure.Revoked, atTheBound.Failure);
        Assert.Equal("API_KEY_REVOKED", atTheBound.Reason);
    }

    [Fact]
    public async Task AuthorizeAsync_CacheSecondsZero_RevocationSeenOnTheNextCall()
    {
        var authorizer = Authorizer(cacheSeconds: 0);
        var created = await _store.CreateAsync("screen", ApiKeyScope.Screen, "tests", Ct);
        Assert.True((await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Screen, "StoreScreen", Ct)).Allowed);

        await _store.RevokeAsync(created.Info.KeyId, Ct);

        Assert.Equal(ApiKeyFailure.Revoked, (await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Screen, "StoreScreen", Ct)).Failure);
    }

    [Fact]
    public async Task Forget_AfterARevocation_RefusedAtOnce()
    {
        var authorizer = Authorizer(cacheSeconds: 60);
        var created = await _store.CreateAsync("ops", ApiKeyScope.Admin, "tests", Ct);
        Assert.True((await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Admin, "Admin", Ct)).Allowed);

        await _store.RevokeAsync(created.Info.KeyId, Ct);
        authorizer.Forget(created.Info.KeyId);

        Assert.Equal(ApiKeyFailure.Revoked, (await authorizer.AuthorizeAsync(created.KeyText, ApiKeyScope.Admin, "Admin", Ct)).Failure);
    }

    [Fact]
    public async Task AuthorizeAsync_WrongScope_PermissionDeniedNamingTheScopesThatWould()
    {
        var authorizer = Authorizer(cacheSeconds: 5);
        var screen = (await _store.CreateAsync("screen 7", ApiKeyScope.Screen, "tests", Ct)).KeyText;
        var pos = (await _store.CreateAsync("till 7", ApiKeyScope.Pos, "tests", Ct)).KeyText;

        var screenOnPos = await authorizer.AuthorizeAsync(screen, ApiKeyScope.Pos, "membergrains.v1.PointOfSale", Ct);
        var posOnAdmin = await authorizer.AuthorizeAsync(pos, ApiKeyScope.Admin, "membergrains.v1.Admin", Ct);

        Assert.Equal(ApiKeyOutcome.PermissionDenied, screenOnPos.Outcome);
        Assert.StartsWith("membergrains.v1.PointOfSale needs an API key of scope pos or admin", screenOnPos.Message, StringComparison.Ordinal);
        Assert.Equal(ApiKeyOutcome.PermissionDenied, posOnAdmin.Outcome);
        Assert.StartsWith("membergrains.v1.Admin needs an API key of scope admin;", posOnAdmin.Message, StringComparison.Ordinal);
        Assert.Equal("screen, pos or admin", ApiKeyDecision.Covering(ApiKeyScope.Screen));
    }

    [Fact]
    public async Task AuthorizeAsync_NoKeyWhileNotRequired_AllowedButASentKeyIsStillChecked()
    {
        var authorizer = Authorizer(cacheSeconds: 5, required: false);

        var none = await authorizer.AuthorizeAsync(null, ApiKeyScope.Admin, "Admin", Ct);
        var bad = await authorizer.AuthorizeAsync("mgk_bad", ApiKeyScope.Admin, "Admin", Ct);

        Assert.True(none.Allowed);
        Assert.Null(none.Key);
        Assert.Equal(ApiKeyOutcome.Unauthenticated, bad.Outcome);
    }

    [Fact]
    public async Task AuthorizeAsync_PostgresUnreachableAtTheRecheck_LastAnswerForTheGraceTimeThenUnavailable()
    {
        var authorizer = Authorizer(cacheSeconds: 5);
        var known = (await _store.CreateAsync("till", ApiKeyScope.Pos, "tests", Ct)).KeyText;
        var other = (await _store.CreateAsync("till 2", ApiKeyScope.Pos, "tests", Ct)).KeyText;
        Assert.True((await authorizer.AuthorizeAsync(known, ApiKeyScope.Pos, "PointOfSale", Ct)).Allowed);

        _down = true;
        _time.Advance(TimeSpan.FromSeconds(5) + ApiKeyAuthorizer.StaleGrace - TimeSpan.FromMilliseconds(1));
        var withinGrace = await authorizer.AuthorizeAsync(known, ApiKeyScope.Pos, "PointOfSale", Ct);
        var neverSeen = await authorizer.AuthorizeAsync(other, ApiKeyScope.Pos, "PointOfSale", Ct);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var pastGrace = await authorizer.AuthorizeAsync(known, ApiKeyScope.Pos, "PointOfSale", Ct);
        _down = false;
        var back = await authorizer.AuthorizeAsync(known, ApiKeyScope.Pos, "PointOfSale", Ct);

        Assert.True(withinGrace.Allowed);
        Assert.Equal(ApiKeyOutcome.Unavailable, neverSeen.Outcome);
        Assert.Equal(ApiKeyOutcome.Unavailable, pastGrace.Outcome);
        Assert.True(back.Allowed);
    }

    private ApiKeyAuthorizer Authorizer(double cacheSeconds, bool required = true) => new(
        async (keyId, ct) =>
        {
            Interlocked.Increment(ref _reads);
            return _down ? throw new NpgsqlException("the test's Postgres is down") : await _store.FindAsync(keyId, ct);
        },
        new AuthSettings { CacheSeconds = cacheSeconds, Required = required },
        _time,
        NullLogger<ApiKeyAuthorizer>.Instance);
}
