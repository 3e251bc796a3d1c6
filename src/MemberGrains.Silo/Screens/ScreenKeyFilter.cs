using MemberGrains.Persistence;
using MemberGrains.Silo.Auth;
using MemberGrains.Silo.Grpc;

namespace MemberGrains.Silo.Screens;

/// <summary>
/// The store screen's HTTP API needs a key of scope screen (pos and admin cover it), as the gRPC
/// StoreScreen service does: header <c>x-api-key</c>, or query parameter <c>key</c> (a browser's
/// EventSource can't send headers). Honours MemberGrains:Auth:Required like the gRPC interceptor:
/// without it a missing key passes, a sent one is still checked. Refusals are JSON
/// <c>{ error, reason }</c> with the reasons of <see cref="ApiKeyDecision.Reason"/>: 401 for no,
/// a malformed, unknown or revoked key; 403 for a key whose scope doesn't cover screen; 503 when
/// the key store can't be reached (the page retries then). The page's static files stay open.
/// </summary>
internal sealed partial class ScreenKeyFilter(ApiKeyAuthorizer authorizer, ILogger<ScreenKeyFilter> logger) : IEndpointFilter
{
    public const string QueryParameter = "key";

    private const string Resource = "The store screen API";

    private const string HowToSend = " Send a key as the header 'x-api-key: <key>' or the query parameter 'key=<key>' (a screen's address: /screen/?key=<key>).";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        ApiKeyDecision decision;
        try
        {
            decision = await authorizer.AuthorizeAsync(KeyOf(http.Request), ApiKeyScope.Screen, Resource, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The browser went away; nobody reads the answer.
            return Results.Empty;
        }
        catch (Exception e)
        {
            // Never a 500: the page treats 503 as "try again", which is all a caller can do here.
            LogUnexpected(logger, http.Request.Path.Value ?? string.Empty, e);
            return Refusal(StatusCodes.Status503ServiceUnavailable, "The API key could not be checked; retry.", "API_KEY_UNCHECKED");
        }

        switch (decision.Outcome)
        {
            case ApiKeyOutcome.Allowed:
                return await next(context);
            case ApiKeyOutcome.Unauthenticated:
                LogRefused(logger, http.Request.Path.Value ?? string.Empty, decision.Reason, decision.Key?.KeyId ?? "-");
                // A scheme browsers don't prompt for: the page shows its own "key not valid" state.
                http.Response.Headers.WWWAuthenticate = "ApiKey";
                return Refusal(StatusCodes.Status401Unauthorized, decision.Failure == ApiKeyFailure.Missing ? decision.Message + HowToSend : decision.Message, decision.Reason);
            case ApiKeyOutcome.PermissionDenied:
                LogRefused(logger, http.Request.Path.Value ?? string.Empty, decision.Reason, decision.Key?.KeyId ?? "-");
                return Refusal(StatusCodes.Status403Forbidden, decision.Message, decision.Reason);
            default:
                http.Response.Headers.RetryAfter = "2";
                return Refusal(StatusCodes.Status503ServiceUnavailable, decision.Message, decision.Reason);
        }
    }

    /// <summary>The key the request carries: the header first, else the query parameter (null: neither).</summary>
    internal static string? KeyOf(HttpRequest request)
    {
        var header = request.Headers[ApiKeyInterceptor.ApiKeyHeader].ToString().Trim();
        if (header.Length > 0)
        {
            return header;
        }

        var query = request.Query[QueryParameter].ToString().Trim();
        return query.Length > 0 ? query : null;
    }

    private static IResult Refusal(int status, string error, string reason) =>
        Results.Json(new { error, reason }, statusCode: status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Path}: {Reason} (key {KeyId})")]
    private static partial void LogRefused(ILogger logger, string path, string reason, string keyId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure checking the API key of {Path}")]
    private static partial void LogUnexpected(ILogger logger, string path, Exception exception);
}
