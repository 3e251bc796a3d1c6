using System.Security.Cryptography;
using System.Text.Json;
using MemberGrains.Persistence;
using MemberGrains.Silo;
using MemberGrains.Silo.Auth;
using MemberGrains.Silo.Screens;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// The screen API's key check without a server: MemberGrains:Auth:Required off, a key store that
/// can't be reached or fails unexpectedly (503, never 500), and where the key is read from.
/// </summary>
public sealed class ScreenKeyFilterTests
{
    private const string Served = "served";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InvokeAsync_NotRequiredAndNoKey_Served()
    {
        var filter = Filter(required: false, (_, _) => Task.FromResult<StoredApiKey?>(null));

        var (status, body) = await InvokeAsync(filter, Request());

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal(Served, body);
    }

    [Fact]
    public async Task InvokeAsync_NotRequiredButAnUnknownKeySent_401Unknown()
    {
        var filter = Filter(required: false, (_, _) => Task.FromResult<StoredApiKey?>(null));

        var (status, body) = await InvokeAsync(filter, Request(query: NewKeyText()));

        Assert.Equal(StatusCodes.Status401Unauthorized, status);
        Assert.Equal("API_KEY_UNKNOWN", Reason(body));
    }

    [Fact]
    public async Task InvokeAsync_KeyStoreUnreachable_503Unchecked()
    {
        var filter = Filter(required: true, (_, _) => Task.FromException<StoredApiKey?>(new NpgsqlException("the test's Postgres is down")));

        var http = Request(header: NewKeyText());
        var (status, body) = await InvokeAsync(filter, http);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("API_KEY_UNCHECKED", Reason(body));
        Assert.Equal("2", http.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task InvokeAsync_KeyCheckFailsUnexpectedly_503NotInternalError()
    {
        var filter = Filter(required: true, (_, _) => Task.FromException<StoredApiKey?>(new InvalidOperationException("secret detail")));

        var (status, body) = await InvokeAsync(filter, Request(header: NewKeyText()));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("API_KEY_UNCHECKED", Reason(body));
        Assert.DoesNotContain("secret", body, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyOf_HeaderAndQuery_HeaderFirstThenQueryThenNone()
    {
        Assert.Equal("from-header", ScreenKeyFilter.KeyOf(Request(header: "from-header", query: "from-query").Request));
        Assert.Equal("from-query", ScreenKeyFilter.KeyOf(Request(header: " ", query: "from-query").Request));
        Assert.Null(ScreenKeyFilter.KeyOf(Request(query: string.Empty).Request));
    }

    private static ScreenKeyFilter Filter(bool required, Func<string, CancellationToken, Task<StoredApiKey?>> read) => new(
        new ApiKeyAuthorizer(read, new AuthSettings { Required = required, CacheSeconds = 5 }, new FakeTimeProvider(), NullLogger<ApiKeyAuthorizer>.Instance),
        NullLogger<ScreenKeyFilter>.Instance);

    private static DefaultHttpContext Request(string? header = null, string? query = null)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Request.Path = "/screen/api/members/m-1/view";
        http.Response.Body = new MemoryStream();
        if (header is not null)
        {
            http.Request.Headers["x-api-key"] = header;
        }

        if (query is not null)
        {
            http.Request.QueryString = QueryString.Create("key", query);
        }

        return http;
    }

    /// <summary>Runs the filter before an endpoint that answers "served"; the status and body written.</summary>
    private static async Task<(int Status, string Body)> InvokeAsync(ScreenKeyFilter filter, DefaultHttpContext http)
    {
        var result = await filter.InvokeAsync(EndpointFilterInvocationContext.Create(http), _ => ValueTask.FromResult<object?>(Results.Text(Served)));
        await Assert.IsAssignableFrom<IResult>(result).ExecuteAsync(http);
        http.Response.Body.Position = 0;
        using var reader = new StreamReader(http.Response.Body);
        return (http.Response.StatusCode, await reader.ReadToEndAsync(Ct));
    }

    private static string? Reason(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("reason").GetString();
    }

    private static string NewKeyText() =>
        $"mgk_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";
}
