using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using MemberGrains.Abstractions;
using MemberGrains.Domain;
using MemberGrains.Silo.Grpc;

namespace MemberGrains.Silo.Screens;

/// <summary>
/// The store screen over plain HTTP for browsers (the silo's HTTP/1.1 endpoint): the page itself
/// under <c>/screen/</c>, a member's view as JSON, and its live feed as server-sent events. The
/// JSON is the proto JSON mapping of <c>membergrains.v1.MemberView</c>, so a screen and a gRPC client
/// read the same contract. The JSON and the events need an API key of scope screen (<see cref="ScreenKeyFilter"/>).
/// </summary>
public static class ScreenEndpoints
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static WebApplication MapScreens(this WebApplication app)
    {
        // The page's parameters (store, lang, key) survive the redirect.
        app.MapGet("/", (HttpContext http) => Results.Redirect("/screen/" + http.Request.QueryString));
        // Routing matches "/screen/" here too: that is the page itself, missing when this answers it.
        app.MapGet("/screen", (HttpContext http) => http.Request.Path.Value is { } path && path.EndsWith('/')
            ? Results.NotFound()
            : Results.Redirect("/screen/" + http.Request.QueryString));
        // The API needs a screen key; the page (static files) and the redirects stay open.
        var api = app.MapGroup("/screen/api").AddEndpointFilter<ScreenKeyFilter>();
        api.MapGet("/members/{member}/view", ViewAsync);
        api.MapGet("/members/{member}/events", EventsAsync);
        return app;
    }

    private static async Task<IResult> ViewAsync(string member, string? store, IGrainFactory grains, HttpContext http)
    {
        try
        {
            var (memberId, storeId) = StoreScreenService.Target(member, store ?? string.Empty);
            var view = await grains.Member(memberId).GetScreenViewAsync(storeId);
            NoCache(http);
            return Results.Text(Json.Format(view.ToWire()), "application/json; charset=utf-8");
        }
        catch (Exception e) when (Problem(e) is { } problem)
        {
            return problem;
        }
    }

    /// <summary>
    /// Server-sent events: "view" (data: the MemberView JSON, id: its version) now and after every
    /// committed change, "heartbeat" every 15 s, until <c>seconds</c> pass (default 300). The
    /// browser's EventSource reconnects by itself; the page refetches the whole view then.
    /// </summary>
    private static async Task<IResult> EventsAsync(string member, string? store, int? seconds, IGrainFactory grains, ScreenFeed feed, HttpContext http)
    {
        IAsyncEnumerator<ScreenUpdate> updates;
        try
        {
            var (memberId, storeId) = StoreScreenService.Target(member, store ?? string.Empty);
            var length = StoreScreenService.FeedLength(seconds ?? 0);
            updates = feed.WatchAsync(memberId, storeId, length, http.RequestAborted).GetAsyncEnumerator(http.RequestAborted);

            // The first item (the view now) is awaited here, so an unknown member is a plain 404
            // rather than an event stream that breaks at once.
            if (!await updates.MoveNextAsync())
            {
                return Results.NoContent();
            }
        }
        catch (Exception e) when (Problem(e) is { } problem)
        {
            return problem;
        }

        NoCache(http);
        // Proxies must not buffer an event stream.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(Events(updates, http.RequestAborted));
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(IAsyncEnumerator<ScreenUpdate> updates, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using (updates)
        {
            do
            {
                var update = updates.Current;
                yield return update.View is { } view
                    ? new SseItem<string>(Json.Format(view.ToWire()), "view") { EventId = view.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), ReconnectionInterval = TimeSpan.FromSeconds(2) }
                    : new SseItem<string>(Json.Format(new Protos.V1.Heartbeat { Version = update.Version, At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(update.At) }), "heartbeat");
            }
            while (!cancellationToken.IsCancellationRequested && await updates.MoveNextAsync());
        }
    }

    private static void NoCache(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    /// <summary>A refusal or failure as an HTTP problem: the gRPC code's name, the field and the message.</summary>
    private static IResult? Problem(Exception e)
    {
        var (status, code, field, message) = e switch
        {
            MemberOperationException m => (m.Kind == RefusalKind.NotFound ? 404 : 400, m.Kind == RefusalKind.NotFound ? "NOT_FOUND" : "INVALID_ARGUMENT", m.Field, m.Message),
            DomainException d => (400, "INVALID_ARGUMENT", d.Field, d.Message),
            StorageUnavailableException s => (503, "UNAVAILABLE", string.Empty, s.Message),
            TimeoutException or OperationCanceledException => (503, "UNAVAILABLE", string.Empty, "The member did not answer in time; retry."),
            _ when ErrorMappingInterceptor.IsSiloUnreachable(e) => (503, "UNAVAILABLE", string.Empty, "The member's silo could not be reached; retry."),
            _ => (0, string.Empty, string.Empty, string.Empty),
        };
        return status == 0 ? null : Results.Json(new { code, field, message }, statusCode: status);
    }
}
