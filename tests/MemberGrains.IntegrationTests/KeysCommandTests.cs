using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Persistence;
using MemberGrains.Silo.Auth;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>The silo binary's offline <c>keys</c> verb: the first admin key of an install, written straight into the database.</summary>
public sealed class KeysCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Create_OnAnEmptyDatabase_AppliesTheSchemaPrintsTheKeyOnceStoresItsHash()
    {
        var connectionString = await EmptyDatabaseAsync();
        var (exitCode, output, error) = await RunAsync("create", "--scope", "admin", "--name", "ops", $"--ConnectionStrings:MemberGrains={connectionString}");

        Assert.True(exitCode == 0, error);
        var key = output.Trim();
        Assert.Matches("^mgk_[0-9a-f]{16}_[0-9a-f]{64}$", key);
        Assert.Contains(key[4..20], error, StringComparison.Ordinal);
        Assert.DoesNotContain(key[21..], error, StringComparison.Ordinal);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var verified = await new ApiKeyStore(dataSource).VerifyAsync(key, Ct);
        Assert.True(verified.IsValid);
        Assert.Equal(ApiKeyScope.Admin, verified.Key!.Scope);
        Assert.Equal("ops", verified.Key.Name);
        Assert.StartsWith("offline keys create", verified.Key.CreatedBy, StringComparison.Ordinal);
        var db = new Db(connectionString);
        Assert.DoesNotContain(key[21..], await db.ScalarAsync<string>("SELECT string_agg(row_to_json(k)::text, ' ') FROM api_key k"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndRevoke_KeyCreatedOffline_ListedWithoutSecretThenRevoked()
    {
        var connectionString = await EmptyDatabaseAsync();
        var setting = $"--ConnectionStrings:MemberGrains={connectionString}";
        var key = (await RunAsync("create", "--scope=pos", "--name=till 01", setting)).Output.Trim();

        var listed = await RunAsync("list", setting);
        var revoked = await RunAsync("revoke", key[4..20], setting);
        var unknown = await RunAsync("revoke", "0123456789abcdef", setting);

        Assert.Equal(0, listed.ExitCode);
        Assert.Contains(key[4..20], listed.Output, StringComparison.Ordinal);
        Assert.Contains("till 01", listed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key[21..], listed.Output, StringComparison.Ordinal);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Contains("REVOKED", revoked.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        Assert.Equal(ApiKeyFailure.Revoked, (await new ApiKeyStore(dataSource).VerifyAsync(key, Ct)).Failure);
    }

    [Theory]
    [InlineData("create", "--name", "ops")]
    [InlineData("create", "--scope", "root", "--name", "ops")]
    [InlineData("create", "--scope", "admin")]
    [InlineData("delete")]
    [InlineData("revoke")]
    public async Task BadCommandLine_ExitCode2AndNothingStored(params string[] args)
    {
        var connectionString = await SharedPostgres.CreateDatabaseAsync("keyscli");

        var (exitCode, _, error) = await RunAsync([.. args, $"--ConnectionStrings:MemberGrains={connectionString}"]);

        Assert.Equal(2, exitCode);
        Assert.StartsWith("Error:", error, StringComparison.Ordinal);
        Assert.Equal(0, await new Db(connectionString).ScalarAsync<long>("SELECT count(*) FROM api_key"));
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await KeysCommand.RunAsync(args, output, error, Ct);
        return (exitCode, output.ToString(), error.ToString());
    }

    /// <summary>A database without the schema, as a fresh production install has.</summary>
    private static Task<string> EmptyDatabaseAsync() => SharedPostgres.CreateDatabaseAsync("keysempty", applySchema: false);
}
