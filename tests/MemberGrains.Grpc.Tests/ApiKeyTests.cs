using System.Security.Cryptography;
using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// API keys on every call, through real Kestrel and Postgres: every refusal (no key, malformed,
/// unknown, revoked, wrong scope for each service), the scope table, the Admin rpcs that manage
/// keys, and that the database holds hashes only.
/// </summary>
public sealed class ApiKeyTests(KeysHostFixture fixture) : GrpcTestBase(fixture), IClassFixture<KeysHostFixture>
{
    /// <summary>(scope, service, allowed): the scope table of the README.</summary>
    public static TheoryData<string, string, bool> ScopeTable() => new()
    {
        { "pos", "PointOfSale", true }, { "pos", "StoreScreen", true }, { "pos", "Admin", false }, { "pos", "Diagnostics", false },
        { "screen", "PointOfSale", false }, { "screen", "StoreScreen", true }, { "screen", "Admin", false }, { "screen", "Diagnostics", false },
        { "admin", "PointOfSale", true }, { "admin", "StoreScreen", true }, { "admin", "Admin", true }, { "admin", "Diagnostics", true },
    };

    public static TheoryData<string> Services() => ["PointOfSale", "StoreScreen", "StoreScreen/WatchMember", "Admin", "Diagnostics"];

    public static TheoryData<string> MalformedKeys() =>
    [
        "mgk_short",
        "not-a-key",
        "mgk_0123456789ABCDEF_" + new string('a', 64),
        "mgk_0123456789abcdef-" + new string('a', 64),
        "xyz_0123456789abcdef_" + new string('a', 64),
        "mgk_0123456789abcdef_" + new string('g', 64),
        "mgk_0123456789abcdef_" + new string('a', 65),
        "MGK_0123456789abcdef_" + new string('a', 64),
        " mgk_0123456789abcdef_" + new string('a', 63),
    ];

    private Admin.AdminClient AdminClient => Fixture.Admin;

    [Theory]
    [MemberData(nameof(Services))]
    public async Task AnyService_NoKey_UnauthenticatedSayingHowToSendOne(string service)
    {
        using var channel = Fixture.ChannelWith(null);

        var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, service));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("API_KEY_MISSING", Reason(e));
        Assert.Contains("authorization: Bearer <key>", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("x-api-key", e.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(MalformedKeys))]
    public async Task Accrue_MalformedKey_UnauthenticatedWithoutEchoingItAndNothingChanged(string key)
    {
        var memberId = await EnrolledAsync(10_000);
        using var channel = Fixture.ChannelWith(key);

        var e = await RefusedUnchangedAsync(memberId, () => new PointOfSale.PointOfSaleClient(channel).AccrueAsync(Accrue(memberId, NewRequestId("buy"), 5_000), cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("API_KEY_MALFORMED", Reason(e));
        Assert.DoesNotContain(key, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCall_AuthorizationNotBearer_Malformed()
    {
        using var channel = Fixture.ChannelWith(null);
        var headers = new Metadata { { "authorization", $"Basic {Fixture.AdminKey}" } };

        var e = await Assert.ThrowsAsync<RpcException>(async () => await new PointOfSale.PointOfSaleClient(channel).GetMemberAsync(new GetMemberRequest { MemberId = NewMemberId() }, headers, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("API_KEY_MALFORMED", Reason(e));
        Assert.DoesNotContain(Fixture.AdminKey, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accrue_UnknownKeyOrWrongSecret_UnauthenticatedWithoutTheSecret()
    {
        var memberId = await EnrolledAsync(10_000);
        var made = $"mgk_{Hex(8)}_{Hex(32)}";
        var adminId = Fixture.AdminKey[4..20];
        var wrongSecret = $"mgk_{adminId}_{Hex(32)}";

        foreach (var key in new[] { made, wrongSecret })
        {
            using var channel = Fixture.ChannelWith(key);
            var e = await RefusedUnchangedAsync(memberId, () => new PointOfSale.PointOfSaleClient(channel).AccrueAsync(Accrue(memberId, NewRequestId("buy"), 5_000), cancellationToken: Ct));

            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
            Assert.Equal("API_KEY_UNKNOWN", Reason(e));
            Assert.DoesNotContain(key[21..], e.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task RevokeApiKey_KeyInUse_RefusedOnItsNextCallAsRevoked()
    {
        var created = await CreateAsync("till revoked", "pos");
        using var channel = Fixture.ChannelWith(created.Key);
        var pos = new PointOfSale.PointOfSaleClient(channel);
        var memberId = await EnrolledAsync(10_000);
        await pos.GetMemberAsync(new GetMemberRequest { MemberId = memberId }, cancellationToken: Ct);

        var revoked = await AdminClient.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.KeyId }, cancellationToken: Ct);

        Assert.True(revoked.Key.Revoked);
        Assert.NotNull(revoked.Key.RevokedAt);
        // The key was checked (and cached for MemberGrains:Auth:CacheSeconds) a moment ago; the
        // silo that revoked it forgets it at once.
        var e = await RefusedUnchangedAsync(memberId, () => pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 5_000), cancellationToken: Ct));
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal("API_KEY_REVOKED", Reason(e));
        Assert.Contains(created.KeyId, e.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[21..], e.Status.Detail, StringComparison.Ordinal);
        var again = await AdminClient.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.KeyId }, cancellationToken: Ct);
        Assert.Equal(revoked.Key.RevokedAt, again.Key.RevokedAt);
    }

    [Fact]
    public async Task Accrue_ScreenKey_PermissionDeniedNamingPosAndNothingChanged()
    {
        var screen = await CreateAsync("screen S001", "screen");
        using var channel = Fixture.ChannelWith(screen.Key);
        var memberId = await EnrolledAsync(10_000);

        var e = await RefusedUnchangedAsync(memberId, () => new PointOfSale.PointOfSaleClient(channel).AccrueAsync(Accrue(memberId, NewRequestId("buy"), 5_000), cancellationToken: Ct));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("API_KEY_SCOPE", Reason(e));
        Assert.Contains("scope pos or admin", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("membergrains.v1.PointOfSale", e.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("has scope screen", e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_PosKey_PermissionDeniedNamingAdminAndNoKeyCreated()
    {
        var pos = await CreateAsync("till admin attempt", "pos");
        using var channel = Fixture.ChannelWith(pos.Key);
        var keysBefore = await Db.ScalarAsync<long>("SELECT count(*) FROM api_key");

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await new Admin.AdminClient(channel).CreateApiKeyAsync(new CreateApiKeyRequest { Name = "escalation", Scope = "admin" }, cancellationToken: Ct));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains("membergrains.v1.Admin needs an API key of scope admin", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(keysBefore, await Db.ScalarAsync<long>("SELECT count(*) FROM api_key"));
    }

    [Theory]
    [MemberData(nameof(ScopeTable))]
    public async Task Call_KeyOfScope_AllowedOrPermissionDeniedAsTheScopeTableSays(string scope, string service, bool allowed)
    {
        var key = await CreateAsync($"{scope} for {service}", scope);
        using var channel = Fixture.ChannelWith(key.Key);

        if (allowed)
        {
            await CallAsync(channel, service);
            return;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, service));
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal("API_KEY_SCOPE", Reason(e));
        Assert.Equal(service == "PointOfSale" ? "pos" : "admin", e.GetRpcStatus()!.GetDetail<ErrorInfo>()!.Metadata["needed_scope"]);
    }

    [Fact]
    public async Task WatchMember_ScreenKey_Streams()
    {
        var screen = await CreateAsync("screen watch", "screen");
        using var channel = Fixture.ChannelWith(screen.Key);
        var memberId = await EnrolledAsync();

        using var watch = new StoreScreen.StoreScreenClient(channel).WatchMember(new WatchMemberRequest { MemberId = memberId, MaxSeconds = 1 }, cancellationToken: Ct);

        Assert.True(await watch.ResponseStream.MoveNext(Ct));
        Assert.Equal(100, watch.ResponseStream.Current.View.Balance);
    }

    [Fact]
    public async Task GetMember_KeyInXApiKeyMetadata_Served()
    {
        var memberId = await EnrolledAsync();
        using var channel = Fixture.ChannelWith(null);
        var headers = new Metadata { { "x-api-key", Fixture.AdminKey } };

        var member = await new PointOfSale.PointOfSaleClient(channel).GetMemberAsync(new GetMemberRequest { MemberId = memberId }, headers, cancellationToken: Ct);

        Assert.Equal(100, member.Balance);
    }

    [Fact]
    public async Task HealthAndReflection_NoKey_Served()
    {
        using var channel = Fixture.ChannelWith(null);

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: Ct);
        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: Ct);
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(Ct));

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
        Assert.Contains(reflection.ResponseStream.Current.ListServicesResponse.Service, s => s.Name == "membergrains.v1.PointOfSale");
    }

    [Fact]
    public async Task CreateApiKey_Valid_WorksListedWithoutTheSecretCreatedByTheCaller()
    {
        var created = await CreateAsync("till 上海01-T01", "pos");

        var list = await AdminClient.ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken: Ct);
        using var channel = Fixture.ChannelWith(created.Key);
        var memberId = NewMemberId();
        await new PointOfSale.PointOfSaleClient(channel).EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);

        Assert.Matches("^mgk_[0-9a-f]{16}_[0-9a-f]{64}$", created.Key);
        Assert.Equal(created.Key[4..20], created.KeyId);
        Assert.Equal("pos", created.Scope);
        var listed = Assert.Single(list.Keys, k => k.KeyId == created.KeyId);
        Assert.Equal("till 上海01-T01", listed.Name);
        Assert.Equal("pos", listed.Scope);
        Assert.False(listed.Revoked);
        Assert.Null(listed.RevokedAt);
        Assert.Equal($"key {Fixture.AdminKey[4..20]} (grpc tests)", listed.CreatedBy);
        Assert.DoesNotContain(created.Key[21..], list.ToString(), StringComparison.Ordinal);
        Assert.Equal(100, (await GetAsync(memberId)).Balance);
    }

    [Theory]
    [InlineData("", "pos", "name")]
    [InlineData("till\0one", "pos", "name")]
    [InlineData("till\u202Eone", "pos", "name")]
    [InlineData("till", "", "scope")]
    [InlineData("till", "root", "scope")]
    [InlineData("till", "POS", "scope")]
    public async Task CreateApiKey_BadNameOrScope_InvalidArgumentNamingTheFieldAndNothingStored(string name, string scope, string field)
    {
        var before = await Db.ScalarAsync<long>("SELECT count(*) FROM api_key");

        await AssertRefusedAsync(() => AdminClient.CreateApiKeyAsync(new CreateApiKeyRequest { Name = name, Scope = scope }, cancellationToken: Ct), StatusCode.InvalidArgument, field);

        Assert.Equal(before, await Db.ScalarAsync<long>("SELECT count(*) FROM api_key"));
    }

    [Fact]
    public async Task CreateApiKey_NameOf129Characters_InvalidArgumentName() =>
        await AssertRefusedAsync(() => AdminClient.CreateApiKeyAsync(new CreateApiKeyRequest { Name = new string('键', 129), Scope = "pos" }, cancellationToken: Ct), StatusCode.InvalidArgument, "name");

    [Fact]
    public async Task RevokeApiKey_UnknownOrNotAnId_NotFoundOrInvalidArgumentKeyId()
    {
        await AssertRefusedAsync(() => AdminClient.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = Hex(8) }, cancellationToken: Ct), StatusCode.NotFound, "key_id");
        await AssertRefusedAsync(() => AdminClient.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = Fixture.AdminKey }, cancellationToken: Ct), StatusCode.InvalidArgument, "key_id");
        await AssertRefusedAsync(() => AdminClient.RevokeApiKeyAsync(new RevokeApiKeyRequest(), cancellationToken: Ct), StatusCode.InvalidArgument, "key_id");
    }

    [Fact]
    public async Task CreateApiKey_Stored_TableHoldsTheSecretsHashNeverTheSecret()
    {
        var created = await CreateAsync("hash check", "screen");
        var secret = created.Key[21..];

        var row = await Db.ScalarAsync<string>("SELECT row_to_json(k)::text FROM api_key k WHERE key_id = @id", ("id", created.KeyId));
        var table = await Db.ScalarAsync<string>("SELECT COALESCE(string_agg(row_to_json(k)::text, ' '), '') FROM api_key k");
        var hash = await Db.ScalarAsync<byte[]>("SELECT secret_sha256 FROM api_key WHERE key_id = @id", ("id", created.KeyId));

        Assert.Contains(created.KeyId, row, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, table, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SHA256.HashData(Convert.FromHexString(secret)), hash);
        Assert.DoesNotContain(Convert.ToHexString(Convert.FromHexString(secret)), Convert.ToHexString(hash), StringComparison.Ordinal);
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string? Reason(RpcException e) => e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason;

    private async Task<CreateApiKeyResponse> CreateAsync(string name, string scope) =>
        await AdminClient.CreateApiKeyAsync(new CreateApiKeyRequest { Name = name, Scope = scope }, cancellationToken: Ct);

    /// <summary>A call to the service (an unknown member is fine: the key is checked first) that must not fail for its key.</summary>
    private async Task CallAsync(GrpcChannel channel, string service)
    {
        var member = NewMemberId();
        try
        {
            switch (service)
            {
                case "PointOfSale":
                    await new PointOfSale.PointOfSaleClient(channel).GetMemberAsync(new GetMemberRequest { MemberId = member }, cancellationToken: Ct);
                    break;
                case "StoreScreen":
                    await new StoreScreen.StoreScreenClient(channel).GetMemberViewAsync(new GetMemberViewRequest { MemberId = member }, cancellationToken: Ct);
                    break;
                case "StoreScreen/WatchMember":
                    using (var watch = new StoreScreen.StoreScreenClient(channel).WatchMember(new WatchMemberRequest { MemberId = member, MaxSeconds = 1 }, cancellationToken: Ct))
                    {
                        await watch.ResponseStream.MoveNext(Ct);
                    }

                    break;
                case "Admin":
                    await new Admin.AdminClient(channel).ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken: Ct);
                    break;
                default:
                    await new Diagnostics.DiagnosticsClient(channel).PingAsync(new PingRequest(), cancellationToken: Ct);
                    break;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            // The key was accepted; the member is unknown.
        }
    }

    /// <summary>The call fails; the member's points, ledger and row are as they were.</summary>
    private async Task<RpcException> RefusedUnchangedAsync<T>(string memberId, Func<AsyncUnaryCall<T>> call)
    {
        var before = await GetAsync(memberId);
        var ledgerRows = await Db.LedgerCountAsync(memberId);
        var row = await Db.MemberRowAsync(memberId);

        var e = await Assert.ThrowsAsync<RpcException>(async () => await call());

        Assert.Equal(before.Balance, (await GetAsync(memberId)).Balance);
        Assert.Equal(ledgerRows, await Db.LedgerCountAsync(memberId));
        Assert.Equal(row, await Db.MemberRowAsync(memberId));
        Assert.Equal(before.Balance, await Db.LedgerSumAsync(memberId));
        return e;
    }
}
