using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// API keys on the store screen's HTTP endpoints (the member's view as JSON and its event stream),
/// through the real Kestrel silo and Postgres: no, unknown, malformed and revoked keys are 401 with
/// a JSON reason, a screen key works in the header and in the query, and the page itself stays open.
/// Screen is the narrowest scope (pos and admin cover it), so no key can be of too narrow a scope
/// here: the 403 of a key whose scope doesn't cover screen can't arise with today's scopes.
/// </summary>
public sealed class ScreenApiKeyTests(KeysHostFixture fixture) : GrpcTestBase(fixture), IClassFixture<KeysHostFixture>
{
    public static TheoryData<string> Endpoints() => ["view", "events"];

    public static TheoryData<string, string> EndpointsAndScopes() => new()
    {
        { "view", "screen" }, { "view", "pos" }, { "view", "admin" },
        { "events", "screen" }, { "events", "pos" }, { "events", "admin" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ScreenApi_NoKey_401MissingSayingHowToSendOne(string endpoint)
    {
        var memberId = await EnrolledAsync();
        using var http = Http();

        using var response = await GetAsync(http, Path(memberId, endpoint));

        var (error, reason) = await RefusalAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("API_KEY_MISSING", reason);
        Assert.Contains("x-api-key", error, StringComparison.Ordinal);
        Assert.Contains("key=", error, StringComparison.Ordinal);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ScreenApi_UnknownKeyInHeaderOrQuery_401UnknownWithoutTheSecret(string endpoint)
    {
        var memberId = await EnrolledAsync();
        var made = $"mgk_{Hex(8)}_{Hex(32)}";
        var wrongSecret = $"mgk_{Fixture.AdminKey[4..20]}_{Hex(32)}";

        foreach (var key in new[] { made, wrongSecret })
        {
            using var inHeader = Http(key);
            using var http = Http();
            using var byHeader = await GetAsync(inHeader, Path(memberId, endpoint));
            using var byQuery = await GetAsync(http, Path(memberId, endpoint, key));

            foreach (var response in new[] { byHeader, byQuery })
            {
                var (error, reason) = await RefusalAsync(response, HttpStatusCode.Unauthorized);
                Assert.Equal("API_KEY_UNKNOWN", reason);
                Assert.DoesNotContain(key[21..], error, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task ScreenApi_MalformedKey_401Malformed()
    {
        var memberId = await EnrolledAsync();
        using var http = Http();

        using var response = await GetAsync(http, Path(memberId, "view", "not-a-key"));

        var (_, reason) = await RefusalAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("API_KEY_MALFORMED", reason);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ScreenApi_KeyRevokedOnThisSilo_401RevokedOnItsNextRequest(string endpoint)
    {
        var memberId = await EnrolledAsync();
        var created = await CreateAsync("screen revoked", "screen");
        using var http = Http(created.Key);
        using (var before = await GetAsync(http, Path(memberId, "view")))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await Fixture.Admin.RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = created.KeyId }, cancellationToken: Ct);

        // The key was checked (and cached for MemberGrains:Auth:CacheSeconds) a moment ago; the
        // silo that revoked it forgets it at once.
        using var after = await GetAsync(http, Path(memberId, endpoint));
        var (error, reason) = await RefusalAsync(after, HttpStatusCode.Unauthorized);
        Assert.Equal("API_KEY_REVOKED", reason);
        Assert.Contains(created.KeyId, error, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Key[21..], error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EndpointsAndScopes))]
    public async Task ScreenApi_KeyOfScopeCoveringScreenInHeader_Served(string endpoint, string scope)
    {
        var memberId = await EnrolledAsync();
        var created = await CreateAsync($"{scope} screen header", scope);
        using var http = Http(created.Key);

        using var response = await GetAsync(http, Path(memberId, endpoint));

        await AssertServedAsync(response, endpoint);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task ScreenApi_ScreenKeyInQuery_Served(string endpoint)
    {
        var memberId = await EnrolledAsync();
        var created = await CreateAsync("screen query", "screen");
        using var http = Http();

        using var response = await GetAsync(http, Path(memberId, endpoint, created.Key));

        await AssertServedAsync(response, endpoint);
    }

    [Fact]
    public async Task ScreenApi_ValidKeyUnknownMember_404AfterTheKeyCheck()
    {
        var created = await CreateAsync("screen unknown member", "screen");
        using var http = Http(created.Key);

        using var response = await GetAsync(http, Path(NewMemberId(), "view"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task ScreenPage_NoKey_ServedOpen()
    {
        using var http = Http();

        using var page = await http.GetAsync(new Uri("/screen/", UriKind.Relative), Ct);
        using var script = await http.GetAsync(new Uri("/screen/screen.js", UriKind.Relative), Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private static string Path(string memberId, string endpoint, string? queryKey = null)
    {
        var path = endpoint == "events" ? $"/screen/api/members/{memberId}/events?seconds=5" : $"/screen/api/members/{memberId}/view?store=S001";
        return queryKey is null ? path : $"{path}&key={Uri.EscapeDataString(queryKey)}";
    }

    private HttpClient Http(string? headerKey = null)
    {
        var http = new HttpClient { BaseAddress = Fixture.Host.HttpAddress };
        if (headerKey is not null)
        {
            http.DefaultRequestHeaders.Add("x-api-key", headerKey);
        }

        return http;
    }

    /// <summary>Headers only: an event stream that is let through stays open while the test reads it.</summary>
    private static Task<HttpResponseMessage> GetAsync(HttpClient http, string path) =>
        http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);

    private static async Task<(string Error, string Reason)> RefusalAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = json.RootElement.GetProperty("error").GetString();
        var reason = json.RootElement.GetProperty("reason").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return (error!, reason!);
    }

    private static async Task AssertServedAsync(HttpResponseMessage response, string endpoint)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (endpoint == "view")
        {
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("100", json.RootElement.GetProperty("balance").GetString());
            return;
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        while (await reader.ReadLineAsync(Ct) is { } line)
        {
            if (line == "event: view")
            {
                return;
            }
        }

        Assert.Fail("The event stream ended before its first view.");
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private async Task<CreateApiKeyResponse> CreateAsync(string name, string scope) =>
        await Fixture.Admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = name, Scope = scope }, cancellationToken: Ct);
}
