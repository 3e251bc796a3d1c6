using System.Security.Cryptography;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>API keys in a real Postgres: created with their text shown once and their hash stored, verified, revoked for good.</summary>
public sealed class ApiKeyStoreTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private Db _db = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ApiKeyStore Store => new(_dataSource);

    public async ValueTask InitializeAsync()
    {
        _db = new Db(await SharedPostgres.CreateDatabaseAsync("keys"));
        _dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
    }

    public async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    [Fact]
    public async Task CreateAsync_NewKey_TextOnceHashInTheTableValid()
    {
        var created = await Store.CreateAsync("till-01", ApiKeyScope.Pos, "tests", Ct);
        var secret = created.KeyText[21..];

        var verified = await Store.VerifyAsync(created.KeyText, Ct);
        var everything = await _db.ScalarAsync<string>("SELECT string_agg(row_to_json(k)::text, ' ') FROM api_key k");

        Assert.Matches("^mgk_[0-9a-f]{16}_[0-9a-f]{64}$", created.KeyText);
        Assert.True(verified.IsValid);
        Assert.Equal(created.Info, verified.Key);
        Assert.Equal(ApiKeyScope.Pos, verified.Key!.Scope);
        Assert.DoesNotContain(secret, everything, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SHA256.HashData(Convert.FromHexString(secret)), await _db.ScalarAsync<byte[]>("SELECT secret_sha256 FROM api_key WHERE key_id = @id", ("id", created.Info.KeyId)));
    }

    [Fact]
    public async Task VerifyAsync_MissingMalformedUnknownWrongSecretRevoked_SaysWhich()
    {
        var created = await Store.CreateAsync("ops", ApiKeyScope.Admin, "tests", Ct);
        var wrongSecret = created.KeyText[..21] + new string('0', 64);
        var unknown = $"mgk_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}_{created.KeyText[21..]}";

        Assert.Equal(ApiKeyFailure.Missing, (await Store.VerifyAsync(null, Ct)).Failure);
        Assert.Equal(ApiKeyFailure.Missing, (await Store.VerifyAsync(string.Empty, Ct)).Failure);
        Assert.Equal(ApiKeyFailure.Malformed, (await Store.VerifyAsync("mgk_nope", Ct)).Failure);
        Assert.Equal(ApiKeyFailure.Malformed, (await Store.VerifyAsync(created.KeyText.ToUpperInvariant(), Ct)).Failure);
        Assert.Equal(ApiKeyFailure.Unknown, (await Store.VerifyAsync(unknown, Ct)).Failure);
        var wrong = await Store.VerifyAsync(wrongSecret, Ct);
        Assert.Equal(ApiKeyFailure.Unknown, wrong.Failure);
        Assert.Null(wrong.Key);

        await Store.RevokeAsync(created.Info.KeyId, Ct);

        var revoked = await Store.VerifyAsync(created.KeyText, Ct);
        Assert.Equal(ApiKeyFailure.Revoked, revoked.Failure);
        Assert.NotNull(revoked.Key!.RevokedAt);
        // A wrong secret never tells that the id exists, revoked or not.
        Assert.Equal(ApiKeyFailure.Unknown, (await Store.VerifyAsync(wrongSecret, Ct)).Failure);
    }

    [Fact]
    public async Task RevokeAsync_TwiceOrUnknown_FirstTimeKeptNullForUnknown()
    {
        var created = await Store.CreateAsync("screen", ApiKeyScope.Screen, "tests", Ct);

        var first = await Store.RevokeAsync(created.Info.KeyId, Ct);
        var second = await Store.RevokeAsync(created.Info.KeyId, Ct);

        Assert.NotNull(first!.RevokedAt);
        Assert.Equal(first.RevokedAt, second!.RevokedAt);
        Assert.Null(await Store.RevokeAsync(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), Ct));
        Assert.Null(await Store.RevokeAsync("not an id", Ct));
        var listed = Assert.Single(await Store.ListAsync(Ct), k => k.KeyId == created.Info.KeyId);
        Assert.True(listed.Revoked);
        await Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync($"UPDATE api_key SET revoked_at = NULL WHERE key_id = '{created.Info.KeyId}'"));
    }

    [Fact]
    public async Task CreateIfNoneAsync_EmptyThenNot_CreatesOnce()
    {
        (string, ApiKeyScope)[] keys = [("a", ApiKeyScope.Pos), ("b", ApiKeyScope.Admin)];

        var first = await Store.CreateIfNoneAsync(keys, "tests", Ct);
        var second = await Store.CreateIfNoneAsync(keys, "tests", Ct);

        Assert.Equal(2, first.Count);
        Assert.Empty(second);
        Assert.Equal(2, (await Store.ListAsync(Ct)).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\nb")]
    [InlineData("\u200B")]
    public async Task CreateAsync_BadName_ArgumentExceptionNothingStored(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.CreateAsync(name, ApiKeyScope.Pos, "tests", Ct));

        Assert.Equal(0, await _db.ScalarAsync<long>("SELECT count(*) FROM api_key"));
    }
}
