using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using MemberGrains.Domain;
using MemberGrains.Persistence;
using MemberGrains.Protos.V1;
using MemberGrains.Silo.Auth;
using Npgsql;
using WireMemberEvent = MemberGrains.Protos.V1.MemberEvent;

namespace MemberGrains.Silo.Grpc;

/// <summary>
/// The operator edge: publishes and reads programs through this silo's program catalog (so a
/// publish is active here before the answer), reads the member event outbox, and creates, revokes
/// and lists API keys (a revocation is effective on this silo before the answer). Every call needs
/// an admin key (<see cref="ApiKeyInterceptor"/>).
/// </summary>
public sealed class AdminService(PostgresProgramCatalog catalog, ProgramRepository programs, MemberEventReader events, ApiKeyStore keys, ApiKeyAuthorizer authorizer) : Admin.AdminBase
{
    /// <summary>Events returned when the request leaves max_events at 0.</summary>
    public const int DefaultMaxEvents = 100;

    /// <summary>Longest published_by.</summary>
    public const int MaxPublishedByLength = 128;

    /// <summary>Longest note.</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>Field violations listed in one refusal at most (a response's trailers must stay small enough for any client).</summary>
    public const int MaxViolations = 100;

    public override async Task<PublishProgramResponse> PublishProgram(PublishProgramRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.DocumentJson))
        {
            throw Invalid("document_json", "document_json is required: the program document as JSON.");
        }

        var publishedBy = WireMapping.N(request.PublishedBy);
        if (Validate.TextProblem(publishedBy, MaxPublishedByLength) is { } byProblem)
        {
            throw Invalid("published_by", $"published_by {byProblem}: who publishes the program, at most {MaxPublishedByLength} characters.");
        }

        var note = WireMapping.N(request.Note);
        if (note.Length > 0 && Validate.TextProblem(note, MaxNoteLength) is { } noteProblem)
        {
            throw Invalid("note", $"note {noteProblem}: why the program changes, at most {MaxNoteLength} characters on one line.");
        }

        var result = await StorageAsync(() => catalog.PublishAsync(request.DocumentJson, publishedBy, note, context.CancellationToken));
        if (result.Published is not { } published)
        {
            throw Refused(result.Problems);
        }

        return new PublishProgramResponse { Version = published.Version, PublishedAt = Timestamp.FromDateTimeOffset(published.PublishedAt) };
    }

    public override async Task<GetProgramResponse> GetProgram(GetProgramRequest request, ServerCallContext context)
    {
        if (request.Version < 0)
        {
            throw Invalid("version", "version must be a published version number, or 0 for the active program.");
        }

        var (published, active) = await StorageAsync(async () =>
        {
            var max = await programs.MaxVersionAsync(context.CancellationToken);
            var version = request.Version == 0 ? max : request.Version;
            return (await programs.FindAsync(version, context.CancellationToken), max);
        });
        if (published is null)
        {
            throw Invalid("version", $"version {request.Version} was never published (the active version is {active}).", StatusCode.NotFound);
        }

        return new GetProgramResponse
        {
            Version = published.Version,
            DocumentJson = published.DocumentJson,
            PublishedAt = Timestamp.FromDateTimeOffset(published.PublishedAt),
            PublishedBy = published.PublishedBy,
            Note = published.Note,
            Active = published.Version == active,
        };
    }

    public override async Task<ListProgramsResponse> ListPrograms(ListProgramsRequest request, ServerCallContext context)
    {
        var all = await StorageAsync(() => programs.LoadAllAsync(context.CancellationToken));
        var active = all.Count == 0 ? 0 : all[^1].Version;
        var response = new ListProgramsResponse();
        response.Programs.AddRange(all.Select(p => new ProgramSummary
        {
            Version = p.Version,
            PublishedAt = Timestamp.FromDateTimeOffset(p.PublishedAt),
            PublishedBy = p.PublishedBy,
            Note = p.Note,
            Active = p.Version == active,
        }));
        return response;
    }

    public override async Task<ReadEventsResponse> ReadEvents(ReadEventsRequest request, ServerCallContext context)
    {
        if (!OutboxCursor.TryParse(request.After, out var after))
        {
            throw Invalid("after", "after must be empty or a next_cursor returned by ReadEvents.");
        }

        if (request.MaxEvents is < 0 or > MemberEventReader.MaxPageSize)
        {
            throw Invalid("max_events", string.Create(CultureInfo.InvariantCulture, $"max_events must be between 1 and {MemberEventReader.MaxPageSize} (0 = {DefaultMaxEvents})."));
        }

        var max = request.MaxEvents == 0 ? DefaultMaxEvents : request.MaxEvents;
        var page = await StorageAsync(() => events.ReadAsync(after, max, context.CancellationToken));
        var response = new ReadEventsResponse { NextCursor = page.Next.ToString() };
        foreach (var e in page.Events)
        {
            var wire = new WireMemberEvent
            {
                Id = e.Id,
                MemberId = e.MemberId,
                Seq = e.Seq,
                Kind = e.Kind,
                ProgramVersion = e.ProgramVersion,
                OccurredAt = Timestamp.FromDateTimeOffset(e.OccurredAt),
            };
            foreach (var (key, value) in e.Data)
            {
                wire.Data[key] = value;
            }

            response.Events.Add(wire);
        }

        return response;
    }

    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var name = WireMapping.N(request.Name);
        if (Validate.TextProblem(name, ApiKeyStore.MaxNameLength) is { } problem)
        {
            throw Invalid("name", $"name {problem}: what or who the key is for, at most {ApiKeyStore.MaxNameLength} characters.");
        }

        if (ApiKeyScopes.Parse(request.Scope) is not { } scope)
        {
            throw Invalid("scope", "scope must be 'screen' (reads members: StoreScreen), 'pos' (also changes them: PointOfSale) or 'admin' (calls everything).");
        }

        var caller = ApiKeyInterceptor.Caller(context);
        var createdBy = caller is null ? "a call without a key (MemberGrains:Auth:Required=false)" : $"key {caller.KeyId} ({caller.Name})";
        var created = await StorageAsync(() => keys.CreateAsync(name, scope, createdBy, context.CancellationToken));
        // Nothing can be cached for a fresh id, unless someone tried it before it existed.
        authorizer.Forget(created.Info.KeyId);
        return new CreateApiKeyResponse
        {
            Key = created.KeyText,
            KeyId = created.Info.KeyId,
            Name = created.Info.Name,
            Scope = ApiKeyScopes.Name(created.Info.Scope),
            CreatedAt = Timestamp.FromDateTimeOffset(created.Info.CreatedAt),
        };
    }

    public override async Task<RevokeApiKeyResponse> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        if (!ApiKeyText.IsKeyId(request.KeyId))
        {
            throw Invalid("key_id", $"key_id must be a key's id: {ApiKeyText.KeyIdLength} lower-case hex digits, as CreateApiKey and ListApiKeys show it (not the key's text).");
        }

        var revoked = await StorageAsync(() => keys.RevokeAsync(request.KeyId, context.CancellationToken));
        if (revoked is null)
        {
            throw Invalid("key_id", $"key_id {request.KeyId}: no API key has this id.", StatusCode.NotFound);
        }

        // Effective on this silo before the answer; the others notice within their cache time.
        authorizer.Forget(revoked.KeyId);
        return new RevokeApiKeyResponse { Key = ToWire(revoked) };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var all = await StorageAsync(() => keys.ListAsync(context.CancellationToken));
        var response = new ListApiKeysResponse();
        response.Keys.AddRange(all.Select(ToWire));
        return response;
    }

    private static ApiKey ToWire(ApiKeyInfo key)
    {
        var wire = new ApiKey
        {
            KeyId = key.KeyId,
            Name = key.Name,
            Scope = ApiKeyScopes.Name(key.Scope),
            CreatedAt = Timestamp.FromDateTimeOffset(key.CreatedAt),
            CreatedBy = key.CreatedBy,
            Revoked = key.Revoked,
        };
        if (key.RevokedAt is { } at)
        {
            wire.RevokedAt = Timestamp.FromDateTimeOffset(at);
        }

        return wire;
    }

    /// <summary>
    /// Runs a storage call; an unreachable database is UNAVAILABLE (nothing was changed). A statement
    /// the database refused is not an outage: it goes on to the interceptor as an internal error.
    /// </summary>
    private static async Task<T> StorageAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is TimeoutException || (e is NpgsqlException && e is not PostgresException) || e is PostgresException { SqlState: var state } && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57", StringComparison.Ordinal)))
        {
            throw new RpcException(new global::Grpc.Core.Status(StatusCode.Unavailable, "The program, event and key store is unreachable; nothing was changed. Retry."));
        }
    }

    private static RpcException Invalid(string field, string message, StatusCode code = StatusCode.InvalidArgument) =>
        Violations(code, message, [(field, message)]);

    /// <summary>INVALID_ARGUMENT naming every problem of the document, each under its JSON path.</summary>
    private static RpcException Refused(IReadOnlyList<Domain.Rules.ProgramProblem> problems)
    {
        var first = problems.Count == 0 ? null : problems[0];
        var summary = first is null
            ? "document_json: the program document is not valid."
            : $"document_json: the program document has {problems.Count} problem(s); the first: {(first.Path.Length == 0 ? "(document)" : first.Path)}: {first.Message}";
        // A problem with the document as a whole has no path inside it: it is the request field's.
        // A document with thousands of problems lists the first ones; the summary says how many.
        return Violations(StatusCode.InvalidArgument, summary, [.. problems.Take(MaxViolations).Select(p => (p.Path.Length == 0 ? "document_json" : p.Path, Shorten(p.Message)))]);
    }

    private static string Shorten(string message) => message.Length <= 500 ? message : string.Concat(message.AsSpan(0, 497), "...");

    private static RpcException Violations(StatusCode code, string message, IEnumerable<(string Field, string Description)> violations)
    {
        var badRequest = new BadRequest();
        badRequest.FieldViolations.AddRange(violations.Select(v => new BadRequest.Types.FieldViolation { Field = v.Field, Description = v.Description }));
        var status = new Google.Rpc.Status { Code = (int)code, Message = message };
        status.Details.Add(Any.Pack(badRequest));
        return status.ToRpcException();
    }
}
