// membergrains-cli: try every MemberGrains PointOfSale call, and operate the program, the event outbox
// and the API keys through the Admin service, from a terminal, no grpcurl needed.
// Exit codes: 0 success, 1 the server refused or could not be reached (gRPC status), 2 bad command line.
using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using MemberGrains.Cli;
using MemberGrains.Protos.V1;

const string Usage = """
    membergrains-cli — call the MemberGrains PointOfSale and Admin gRPC APIs.

    Usage: dotnet run --project tools/MemberGrains.Cli -- <command> <member-id> [options]
           dotnet run --project tools/MemberGrains.Cli -- program <show|list|publish> [<file>] [options]
           dotnet run --project tools/MemberGrains.Cli -- events [options]
           dotnet run --project tools/MemberGrains.Cli -- keys <create|list|revoke> [<key-id>] [options]

    Commands:
      enroll  <member>  [--birthday YYYY-MM-DD] [--home-store S001] [--marketing] [--personalisation]
      get     <member>
      accrue  <member>  --total CNY [--line SKU:CATEGORY:QTY:CNY]... [--coupon COUPON-ID]...
                        (no --line: one line "ITEM" x1 with the whole total; no --total: sum of the lines;
                        the receipt lists the offers applied and why presented coupons were not)
      quote   <member>  --total CNY [--line SKU:CATEGORY:QTY:CNY]... [--redeem N] [--coupon COUPON-ID]...
                        (dry run: offers that apply and why others don't, points to earn, points that
                        can pay, decision; changes nothing)
      reserve <member>  --points N [--basket CNY] [--hold-seconds S]
                        (--basket: the basket the points pay for; required when the program caps
                        the share points may pay, 50 % in the default program)
      capture <member>  --hold HOLD-ID [--points N] [--approved-by STAFF-ID]
                        (no --points: the whole hold; --approved-by: needed for a hold in REVIEW)
      release <member>  --hold HOLD-ID
      refund  <member>  --original REQUEST-ID [--amount CNY] (no --amount: everything not yet refunded)
                        accrue, refund and activity take --occurred-at TIME (ISO 8601 with offset):
                        when a checkout held back while the store was offline happened
      activity <member> --kind KIND [--reference TEXT-ID]    (check_in, review, survey, referral)

    Operator commands (membergrains.v1.Admin, no member id; they need a key of scope admin):
      program show    [--version N] [--document-only]
                        (no --version: the active program; --document-only: only the document JSON,
                        to redirect to a file, edit and publish)
      program list      every published version, oldest first; * marks the active one
      program publish <file> --by NAME [--note TEXT]
                        (file '-': standard input; a refused document lists every problem by JSON path)
      events  [--after CURSOR] [--max N]
                        (member events in commit order, at most N (1-1000, default 100); ends with the
                        next cursor: pass it as --after to read on)
      keys create --scope pos|screen|admin --name NAME
                        (prints the new key's text, shown only this once, then its id on stderr;
                        pos: tills, screen: store screens (read only), admin: everything)
      keys list         every key, valid and revoked: id, scope, name, who created it; never a key's text
      keys revoke <key-id>
                        (the silo that answers refuses the key at once, the others within 5 s)

    Common options:
      --address URL      server (default: $MEMBERGRAINS_ADDRESS or http://127.0.0.1:5080)
      --key KEY          API key sent with the call (default: $MEMBERGRAINS_KEY; else the development
                         silo's demo key of the scope the command needs, pos for member commands and
                         admin for program, events and keys, from src/MemberGrains.Silo/.data/demo-keys.json)
      --store ID         store id (default S001)
      --terminal ID      terminal id (default T01)
      --request ID       idempotency key (default: a new cli-<guid>; printed, so a retry can reuse it)
      --timeout SECONDS  deadline of the call (default 30)
      --json             print the raw response as JSON
      --help             this text

    Amounts are CNY with at most 2 decimals (258.00 = 25800 fen).
    Exit codes: 0 ok, 1 gRPC error (status code and message printed), 2 bad command line.

    Examples:
      enroll M1001 --birthday 1990-05-17
      accrue M1001 --request R-0001 --total 258.00 --line SKU-1:grocery:2:158.00 --line SKU-2::1:100.00
      quote M1001 --total 258.00 --redeem 2000
      reserve M1001 --points 2000 --basket 258.00
      capture M1001 --hold <hold-id> --approved-by STAFF-7
      refund M1001 --original R-0001 --amount 100.00
      activity M1001 --kind check_in
      program show --document-only > my-program.json
      program publish my-program.json --by ops --note "summer campaign"
      events --after <next cursor>
      keys create --scope pos --name till-01
      keys revoke 0123456789abcdef
    """;

string[] mutationOptions = ["--store", "--terminal", "--request"];

CommandLine line;
try
{
    line = CommandLine.Parse(args);
}
catch (UsageException e)
{
    return UsageError(e.Message);
}

if (line.Command is null || line.Command == "help" || line.Help)
{
    Console.WriteLine(Usage);
    return line.Command is null && !line.Help ? 2 : 0;
}

string? requestId = null;
try
{
    var command = line.Command;
    switch (command)
    {
        case "enroll":
            line.Check([.. mutationOptions, "--birthday", "--home-store", "--marketing", "--personalisation"], 1);
            break;
        case "get":
            line.Check([], 1);
            break;
        case "accrue":
            line.Check([.. mutationOptions, "--total", "--line", "--occurred-at", "--coupon"], 1);
            break;
        case "quote":
            line.Check(["--store", "--total", "--line", "--redeem", "--coupon"], 1);
            break;
        case "reserve":
            line.Check([.. mutationOptions, "--points", "--hold-seconds", "--basket"], 1);
            break;
        case "capture":
            line.Check([.. mutationOptions, "--hold", "--points", "--approved-by"], 1);
            break;
        case "activity":
            line.Check([.. mutationOptions, "--kind", "--reference", "--occurred-at"], 1);
            break;
        case "release":
            line.Check([.. mutationOptions, "--hold"], 1);
            break;
        case "refund":
            line.Check([.. mutationOptions, "--original", "--amount", "--occurred-at"], 1);
            break;
        case "program":
            switch (line.Argument(1, "'program' needs show, list or publish."))
            {
                case "show":
                    line.Check(["--version", "--document-only"], 1);
                    if (line.Has("--document-only") && line.Has("--json"))
                    {
                        throw new UsageException("--document-only and --json exclude each other.");
                    }

                    break;
                case "list":
                    line.Check([], 1);
                    break;
                case "publish":
                    line.Check(["--by", "--note"], 2);
                    break;
                default:
                    throw new UsageException($"Unknown program command '{line.Argument(1, "")}': use show, list or publish.");
            }

            break;
        case "events":
            line.Check(["--after", "--max"], 0);
            break;
        case "keys":
            switch (line.Argument(1, "'keys' needs create, list or revoke."))
            {
                case "create":
                    line.Check(["--scope", "--name"], 1);
                    break;
                case "list":
                    line.Check([], 1);
                    break;
                case "revoke":
                    line.Check([], 2);
                    break;
                default:
                    throw new UsageException($"Unknown keys command '{line.Argument(1, "")}': use create, list or revoke.");
            }

            break;
        default:
            Console.Error.WriteLine($"Unknown command '{command}'.");
            Console.Error.WriteLine();
            Console.Error.WriteLine(Usage);
            return 2;
    }

    var isAdmin = command is "program" or "events" or "keys";
    var memberId = isAdmin ? "" : line.MemberId;
    var store = line.Get("--store") ?? "S001";
    var terminal = line.Get("--terminal") ?? "T01";
    var address = ParseAddress(line.Get("--address") ?? Environment.GetEnvironmentVariable("MEMBERGRAINS_ADDRESS") ?? "http://127.0.0.1:5080");
    var timeout = line.GetInt64("--timeout") ?? 30;
    if (timeout <= 0)
    {
        throw new UsageException("--timeout: must be a positive number of seconds.");
    }

    if (!isAdmin && command is not ("get" or "quote"))
    {
        requestId = line.Get("--request");
        requestId ??= $"cli-{Guid.NewGuid():N}";
    }

    // Build the request before connecting, so command-line mistakes never reach the server.
    IMessage request = command switch
    {
        "program" => BuildProgram(line),
        "events" => new ReadEventsRequest { After = line.Get("--after") ?? "", MaxEvents = line.GetInt32("--max") ?? 0 },
        "keys" => BuildKeys(line),
        "enroll" => new EnrollMemberRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            Birthday = line.Get("--birthday") ?? "",
            HomeStoreId = line.Get("--home-store") ?? "",
            MarketingConsent = line.Has("--marketing"),
            PersonalisationConsent = line.Has("--personalisation"),
        },
        "get" => new GetMemberRequest { MemberId = memberId, IncludeLotsAndHolds = true },
        "accrue" => BuildAccrue(line, memberId, requestId!, store, terminal),
        "quote" => BuildQuote(line, memberId, store),
        "reserve" => new ReserveRedemptionRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            Points = line.GetInt64("--points") ?? throw new UsageException("'reserve' needs --points."),
            HoldSeconds = checked((int)(line.GetInt64("--hold-seconds") ?? 0)),
            BasketFen = line.GetFen("--basket") ?? 0,
        },
        "capture" => new CaptureRedemptionRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            HoldId = line.Required("--hold"),
            Points = line.GetInt64("--points") ?? 0,
            ApprovedBy = line.Get("--approved-by") ?? "",
        },
        "release" => new ReleaseRedemptionRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            HoldId = line.Required("--hold"),
        },
        "activity" => new RecordActivityRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            Kind = line.Required("--kind"),
            Reference = line.Get("--reference") ?? "",
            OccurredAt = OccurredAt(line),
        },
        _ => new RefundRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            OriginalRequestId = line.Required("--original"),
            AmountFen = line.GetFen("--amount") ?? 0,
            OccurredAt = OccurredAt(line),
        },
    };

    if (requestId is not null && !line.Has("--request"))
    {
        // On stderr, so --json output stays parseable.
        Console.Error.WriteLine($"request id {requestId} (pass --request {requestId} to retry)");
    }

    var key = ApiKeySource.Resolve(line.Get("--key"), isAdmin ? "admin" : "pos");
    if (key.Note is not null)
    {
        Console.Error.WriteLine(key.Note);
    }

    using var channel = GrpcChannel.ForAddress(address);
    var client = new PointOfSale.PointOfSaleClient(channel);
    var adminClient = new Admin.AdminClient(channel);
    var headers = key.Key is null ? null : new Metadata { { "authorization", $"Bearer {key.Key}" } };
    var options = new CallOptions(headers, deadline: DateTime.UtcNow.AddSeconds(timeout));

    IMessage response = request switch
    {
        EnrollMemberRequest r => await client.EnrollMemberAsync(r, options),
        GetMemberRequest r => await client.GetMemberAsync(r, options),
        AccrueRequest r => await client.AccrueAsync(r, options),
        ReserveRedemptionRequest r => await client.ReserveRedemptionAsync(r, options),
        CaptureRedemptionRequest r => await client.CaptureRedemptionAsync(r, options),
        ReleaseRedemptionRequest r => await client.ReleaseRedemptionAsync(r, options),
        RefundRequest r => await client.RefundAsync(r, options),
        RecordActivityRequest r => await client.RecordActivityAsync(r, options),
        QuoteCheckoutRequest r => await client.QuoteCheckoutAsync(r, options),
        PublishProgramRequest r => await adminClient.PublishProgramAsync(r, options),
        GetProgramRequest r => await adminClient.GetProgramAsync(r, options),
        ListProgramsRequest r => await adminClient.ListProgramsAsync(r, options),
        ReadEventsRequest r => await adminClient.ReadEventsAsync(r, options),
        CreateApiKeyRequest r => await adminClient.CreateApiKeyAsync(r, options),
        ListApiKeysRequest r => await adminClient.ListApiKeysAsync(r, options),
        RevokeApiKeyRequest r => await adminClient.RevokeApiKeyAsync(r, options),
        _ => throw new InvalidOperationException("unreachable"),
    };

    if (line.Has("--json"))
    {
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());
        Console.WriteLine(formatter.Format(response));
    }
    else if (response is GetProgramResponse document && line.Has("--document-only"))
    {
        Console.WriteLine(document.DocumentJson.TrimEnd());
    }
    else if (response is CreateApiKeyResponse created)
    {
        // The key alone on stdout (KEY=$(… keys create …)); what it is on stderr.
        Console.WriteLine(created.Key);
        Console.Error.WriteLine($"Created API key {created.KeyId} '{created.Name}' of scope {created.Scope} at {When(created.CreatedAt)}."
            + " Its text (above) is shown only now: the silo keeps its SHA-256 only.");
    }
    else
    {
        Console.WriteLine(Describe(response, memberId));
    }

    return 0;
}
catch (UsageException e)
{
    return UsageError(e.Message);
}
catch (OverflowException)
{
    return UsageError("--hold-seconds: too large.");
}
catch (RpcException e)
{
    Console.Error.WriteLine($"Error: {e.StatusCode} ({(int)e.StatusCode}): {e.Status.Detail}");
    var badRequest = e.GetRpcStatus()?.GetDetail<BadRequest>();
    // A refused program document names each problem by its JSON path in the document.
    var jsonPaths = line.Command == "program" && e.StatusCode == StatusCode.InvalidArgument;
    foreach (var violation in badRequest?.FieldViolations ?? [])
    {
        Console.Error.WriteLine(jsonPaths ? $"  {violation.Field}: {violation.Description}" : $"  field {violation.Field}: {violation.Description}");
    }

    var info = e.GetRpcStatus()?.GetDetail<ErrorInfo>();
    if (info is not null)
    {
        Console.Error.WriteLine($"  {info.Reason}: {string.Join(", ", info.Metadata.Select(m => $"{m.Key}={m.Value}"))}");
    }

    if (requestId is not null && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
    {
        Console.Error.WriteLine($"  nothing may have been applied; retry with --request {requestId}");
    }

    if (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied)
    {
        Console.Error.WriteLine($"  pass a key with --key or MEMBERGRAINS_KEY (this command needs scope {(line.Command is "program" or "events" or "keys" ? "admin" : "pos or admin")}); a development silo writes demo keys to {ApiKeySource.DemoKeysPath}");
    }

    return 1;
}

static int UsageError(string message)
{
    Console.Error.WriteLine($"Error: {message}");
    Console.Error.WriteLine("Run with --help for usage.");
    return 2;
}

static Uri ParseAddress(string text) =>
    Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        ? uri
        : throw new UsageException($"--address: '{text}' is not an http:// or https:// URL.");

static IMessage BuildProgram(CommandLine line)
{
    switch (line.Argument(1, "'program' needs show, list or publish."))
    {
        case "show":
            return new GetProgramRequest { Version = line.GetInt32("--version") ?? 0 };
        case "list":
            return new ListProgramsRequest();
        default:
            var path = line.Argument(2, "'program publish' needs a file, e.g. program publish my-program.json --by ops.");
            var by = line.Get("--by") ?? throw new UsageException("'program publish' needs --by NAME (who publishes it).");
            string document;
            try
            {
                document = path == "-" ? Console.In.ReadToEnd() : File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read '{path}': {e.Message}");
            }

            return new PublishProgramRequest { DocumentJson = document, PublishedBy = by, Note = line.Get("--note") ?? "" };
    }
}

static IMessage BuildKeys(CommandLine line) => line.Argument(1, "'keys' needs create, list or revoke.") switch
{
    "create" => new CreateApiKeyRequest
    {
        Scope = line.Get("--scope") ?? throw new UsageException("'keys create' needs --scope pos, screen or admin."),
        Name = line.Get("--name") ?? throw new UsageException("'keys create' needs --name NAME (what or who the key is for, e.g. till-01)."),
    },
    "list" => new ListApiKeysRequest(),
    _ => new RevokeApiKeyRequest { KeyId = line.Argument(2, "'keys revoke' needs a key id (keys list shows them).") },
};

static AccrueRequest BuildAccrue(CommandLine line, string memberId, string requestId, string store, string terminal)
{
    var request = new AccrueRequest { MemberId = memberId, RequestId = requestId, StoreId = store, TerminalId = terminal, OccurredAt = OccurredAt(line) };
    (request.TotalFen, var lines) = Basket(line, "accrue");
    request.Lines.AddRange(lines);
    request.CouponIds.AddRange(line.GetAll("--coupon"));
    return request;
}

// --occurred-at 2026-12-01T23:50:00+08:00: when a checkout queued offline happened (none: now).
static Google.Protobuf.WellKnownTypes.Timestamp? OccurredAt(CommandLine line) =>
    line.Get("--occurred-at") is not { } text ? null
    : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var at)
        ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at)
        : throw new UsageException($"--occurred-at '{text}' is not a time such as 2026-12-01T23:50:00+08:00.");

static QuoteCheckoutRequest BuildQuote(CommandLine line, string memberId, string store)
{
    var request = new QuoteCheckoutRequest { MemberId = memberId, StoreId = store, RedeemPoints = line.GetInt64("--redeem") ?? 0 };
    (request.TotalFen, var lines) = Basket(line, "quote");
    request.Lines.AddRange(lines);
    request.CouponIds.AddRange(line.GetAll("--coupon"));
    return request;
}

// --total and --line options as a basket: no --line is one line "ITEM" x1 with the whole total; no --total is the sum of the lines.
static (long TotalFen, List<PurchaseLine> Lines) Basket(CommandLine line, string command)
{
    var lines = new List<PurchaseLine>();
    foreach (var text in line.GetAll("--line"))
    {
        // SKU:CATEGORY:QTY:CNY, parsed from the right so a SKU may itself contain ':'.
        var parts = text.Split(':');
        if (parts.Length < 4)
        {
            throw new UsageException($"--line: '{text}' is not SKU:CATEGORY:QTY:CNY (category may be empty: SKU-2::1:100.00).");
        }

        if (!int.TryParse(parts[^2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quantity))
        {
            throw new UsageException($"--line: quantity '{parts[^2]}' in '{text}' is not a whole number.");
        }

        lines.Add(new PurchaseLine
        {
            Sku = string.Join(':', parts[..^3]),
            Category = parts[^3],
            Quantity = quantity,
            AmountFen = Money.ParseFen(parts[^1], $"--line {text}"),
        });
    }

    var total = line.GetFen("--total");
    if (lines.Count == 0)
    {
        var whole = total ?? throw new UsageException($"'{command}' needs --total (or at least one --line).");
        lines.Add(new PurchaseLine { Sku = "ITEM", Quantity = 1, AmountFen = whole });
        return (whole, lines);
    }

    return (total ?? lines.Sum(l => l.AmountFen), lines);
}

static string When(Timestamp? timestamp) =>
    timestamp is null ? "-" : timestamp.ToDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

static string Summary(Receipt receipt, string verb)
{
    var text = $"{verb} {receipt.Points} points · balance {receipt.Balance} (available {receipt.Available}) · request {receipt.RequestId}";
    return receipt.Replayed ? $"{text} · REPLAYED (stored answer to an earlier call; nothing changed now)" : text;
}

static string Describe(IMessage response, string memberId) => response switch
{
    EnrollMemberResponse r => $"Enrolled {memberId} · " + Summary(r.Receipt, "earned"),
    AccrueResponse r => Summary(r.Receipt, "Earned") + (r.Receipt.Earning is { } e ? Environment.NewLine + DescribeEarning(e) : "")
        + DescribeOffers(r.Receipt.Offers, r.Receipt.OfferDecisions, r.Receipt.DiscountFen, r.Receipt.CashDueAfterDiscountsFen)
        + (r.Receipt.CouponsIssued.Count > 0 ? $"{Environment.NewLine}Coupons issued to the wallet: {string.Join(", ", r.Receipt.CouponsIssued)}" : ""),
    RecordActivityResponse r when r.Receipt.CouponsIssued.Count > 0 =>
        Summary(r.Receipt, "Earned") + $"{Environment.NewLine}Coupons issued to the wallet: {string.Join(", ", r.Receipt.CouponsIssued)}",
    ReserveRedemptionResponse r => Summary(r.Receipt, "Held")
        + $"{Environment.NewLine}hold {r.HoldId} · worth {Money.Format(r.Receipt.ValueFen)} CNY · lapses {When(r.HoldExpiresAt)}"
        + (r.Receipt.Decision == Decision.Review
            ? $"{Environment.NewLine}IN REVIEW ({string.Join(", ", r.Receipt.Reasons)}): capture needs --approved-by STAFF-ID"
            : ""),
    CaptureRedemptionResponse r => Summary(r.Receipt, "Redeemed") + $" · paid {Money.Format(r.Receipt.ValueFen)} CNY",
    ReleaseRedemptionResponse r => Summary(r.Receipt, "Released"),
    RefundResponse r => Summary(r.Receipt, "Took back"),
    RecordActivityResponse r => Summary(r.Receipt, "Earned"),
    QuoteCheckoutResponse q => DescribeQuote(q),
    Member m => DescribeMember(m),
    PublishProgramResponse r => $"Published program v{r.Version} at {When(r.PublishedAt)}"
        + " · active now on the silo that answered, on the others within MemberGrains:Program:RefreshSeconds",
    GetProgramResponse r => ProgramHeader(r.Version, r.PublishedAt, r.PublishedBy, r.Note, r.Active) + Environment.NewLine + r.DocumentJson.TrimEnd(),
    ListProgramsResponse r => r.Programs.Count == 0
        ? "No program published."
        : string.Join(Environment.NewLine, r.Programs.Select(p => (p.Active ? "* " : "  ") + ProgramHeader(p.Version, p.PublishedAt, p.PublishedBy, p.Note, p.Active))),
    ReadEventsResponse r => DescribeEvents(r),
    ListApiKeysResponse r => r.Keys.Count == 0 ? "No API keys." : string.Join(Environment.NewLine, r.Keys.Select(DescribeKey)),
    RevokeApiKeyResponse r => $"Revoked: {DescribeKey(r.Key)}{Environment.NewLine}The silo that answered refuses it now; the others within MemberGrains:Auth:CacheSeconds (5 s by default).",
    _ => response.ToString() ?? "",
};

static string DescribeKey(ApiKey k) =>
    $"{k.KeyId}  {k.Scope,-6}  {k.Name} · created {When(k.CreatedAt)} by {k.CreatedBy}" + (k.Revoked ? $" · REVOKED {When(k.RevokedAt)}" : "");

static string ProgramHeader(int version, Timestamp? publishedAt, string publishedBy, string note, bool active) =>
    $"Program v{version}{(active ? " (active)" : "")} · published {When(publishedAt)} by {publishedBy}" + (note.Length > 0 ? $" · note: {note}" : "");

static string DescribeEvents(ReadEventsResponse r)
{
    var lines = r.Events.Count == 0
        ? ["No new events."]
        : r.Events.Select(e => $"{e.Id} · {When(e.OccurredAt)} · {e.MemberId} #{e.Seq} · {e.Kind} · program v{e.ProgramVersion}"
            + (e.Data.Count > 0 ? " · " + string.Join(" ", e.Data.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}={d.Value}")) : "")).ToList();
    lines.Add($"next cursor: {r.NextCursor}");
    return string.Join(Environment.NewLine, lines);
}

static string DescribeEarning(EarnBreakdown e)
{
    // Category multipliers apply per line and are not in the breakdown, so this lists the factors rather than an equation.
    var text = $"  {Money.Format(e.EligibleFen)} CNY eligible at {e.PointsPerUnit} points/CNY, tier ×{e.TierMultiplier}, birthday ×{e.BirthdayMultiplier}"
        + $" → {e.RatePoints} rate points + {e.BonusPoints} bonus";
    if (e.Campaigns.Count > 0)
    {
        text += $" · campaigns {string.Join(", ", e.Campaigns)}";
    }

    return e.CapReached ? text + " · DAILY CAP REACHED" : text;
}

static string DescribeQuote(QuoteCheckoutResponse q)
{
    var lines = new List<string>
    {
        $"Would earn {q.PointsToEarn} points · program v{q.ProgramVersion}",
        DescribeEarning(q.Earning),
        $"Points: {q.Available} available · at most {q.MaxRedeemablePoints} on this basket (worth {Money.Format(q.MaxRedeemableValueFen)} CNY)",
    };
    if (q.RedeemPoints > 0)
    {
        lines.Add($"Redeeming {q.RedeemPoints} points pays {Money.Format(q.RedeemValueFen)} CNY · cash due {Money.Format(q.CashDueFen)} CNY");
    }

    lines.Add($"Decision: {DecisionName(q.Decision)}" + (q.Reasons.Count > 0 ? $" ({string.Join(", ", q.Reasons)})" : "")
        + $" · tier discount {q.TierDiscountPercent} %");
    return string.Join(Environment.NewLine, lines) + DescribeOffers(q.Offers, q.OfferDecisions, q.DiscountFen, q.CashDueAfterDiscountsFen);
}

// The offers a basket got, in the order they stacked, and the others with their reason codes.
static string DescribeOffers(IReadOnlyList<AppliedOffer> applied, IReadOnlyList<OfferDecision> refused, long discountFen, long cashDueFen)
{
    var lines = new List<string>();
    if (applied.Count > 0)
    {
        lines.Add(discountFen > 0 ? $"Offers applied: {Money.Format(discountFen)} CNY off · cash due {Money.Format(cashDueFen)} CNY" : "Offers applied:");
        lines.AddRange(applied.Select(o => $"  + {o.OfferId} ({o.Kind}) {o.Title?.En}"
            + (o.DiscountFen > 0 ? $" · {Money.Format(o.DiscountFen)} CNY off" : "")
            + (o.BonusPoints > 0 ? $" · +{o.BonusPoints} points" : "")
            + (o.Multiplier is { Length: > 0 } m && m != "1" ? $" · points ×{m}" : "")
            + (o.Gift is { En.Length: > 0 } gift ? $" · gift {gift.En} ×{o.Applications}" : "")));
    }

    if (refused.Count > 0)
    {
        lines.Add("Not applied:");
        lines.AddRange(refused.Select(d => $"  - {(d.OfferId.Length > 0 ? d.OfferId : d.CouponId)} {d.Code}: {d.Detail}"));
    }

    return lines.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, lines);
}

static string DecisionName(Decision decision) => decision switch
{
    Decision.Approve => "APPROVE",
    Decision.Review => "REVIEW",
    Decision.Decline => "DECLINE",
    _ => "-",
};

static string TierName(Tier tier) => tier == Tier.Unspecified ? "-" : tier.ToString().ToUpperInvariant();

static string DescribeMember(Member m)
{
    var status = m.TierStatus ?? new TierStatus { Tier = m.Tier, QualifyingSpendFen = m.QualifyingSpendFen };
    var rfm = m.Rfm ?? new Rfm();
    var lines = new List<string>
    {
        $"Member {m.MemberId} · tier {TierName(m.Tier)} · enrolled {When(m.EnrolledAt)}"
            + (m.Birthday.Length > 0 ? $" · birthday {m.Birthday}" : "")
            + (m.HomeStoreId.Length > 0 ? $" · home store {m.HomeStoreId}" : ""),
        $"Points: balance {m.Balance} · held {m.Held} · pending {m.Pending} · available {m.Available}"
            + (m.Debt != 0 ? $" · debt {m.Debt}" : "")
            + (m.Owed != 0 ? $" · owed {m.Owed}" : ""),
        m.ExpiringSoon is { Points: > 0 } expiring
            ? $"Expiring soon: {expiring.Points} points, first on {When(expiring.FirstExpiresAt)}"
            : "Expiring soon: none",
        $"Spend: lifetime {Money.Format(m.LifetimeSpendFen)} CNY · qualifying {Money.Format(status.QualifyingSpendFen)} CNY · {m.PurchaseCount} purchase(s)"
            + (m.LastPurchaseAt is null ? "" : $" · last {When(m.LastPurchaseAt)}"),
        $"Tier: {TierName(status.Tier)} · discount {status.DiscountPercent} % · earn ×{status.EarnMultiplier}"
            + (status.Perks.Count > 0 ? $" · perks {string.Join(", ", status.Perks)}" : "")
            + (status.NextTier == Tier.Unspecified
                ? " · top tier"
                : $" · {Money.Format(status.SpendToNextTierFen)} CNY more to {TierName(status.NextTier)}"),
        $"RFM: recency {(rfm.HasRecencyDays ? $"{rfm.RecencyDays} day(s)" : "-")} · frequency {rfm.Frequency} · monetary {Money.Format(rfm.MonetaryFen)} CNY"
            + $" · scores R{rfm.RecencyScore} F{rfm.FrequencyScore} M{rfm.MonetaryScore}",
        $"Segment: {(m.Segment.Length > 0 ? m.Segment : "-")} · lifecycle {LifecycleName(m.Lifecycle)}",
        $"Risk flags ({m.Flags.Count}):",
    };
    lines.AddRange(m.Flags.Select(f => $"  {f.Code} · raised {When(f.RaisedAt)} · on redemption {DecisionName(f.OnRedemption)} · {f.Detail}"));
    lines.Add($"Lots ({m.Lots.Count}):");
    lines.AddRange(m.Lots.Select(l => $"  {l.Remaining,8} points · earned {When(l.EarnedAt)} · expires {When(l.ExpiresAt)}"
        + (l.AvailableAt is not null && l.AvailableAt.ToDateTimeOffset() > m.AsOf.ToDateTimeOffset() ? $" · pending until {When(l.AvailableAt)}" : "")));
    lines.Add($"Open holds ({m.Holds.Count}):");
    lines.AddRange(m.Holds.Select(h => $"  {h.HoldId} · {h.Points} points · lapses {When(h.ExpiresAt)} · {h.StoreId}/{h.TerminalId}"
        + (h.NeedsReview ? " · IN REVIEW (capture needs --approved-by)" : "")));
    lines.Add($"Consent: marketing {(m.MarketingConsent ? "yes" : "no")} · personalisation {(m.PersonalisationConsent ? "yes" : "no")} · program v{m.ProgramVersion} · as of {When(m.AsOf)}");
    return string.Join(Environment.NewLine, lines);
}

static string LifecycleName(LifecycleStage stage) => stage switch
{
    LifecycleStage.Prospect => "prospect",
    LifecycleStage.New => "new",
    LifecycleStage.Active => "active",
    LifecycleStage.Loyal => "loyal",
    LifecycleStage.AtRisk => "at risk",
    LifecycleStage.Churned => "churned",
    _ => "-",
};
