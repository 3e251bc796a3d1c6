// membergrains-cli: try every MemberGrains PointOfSale call from a terminal, no grpcurl needed.
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
    membergrains-cli — call the MemberGrains PointOfSale gRPC API.

    Usage: dotnet run --project tools/MemberGrains.Cli -- <command> <member-id> [options]

    Commands:
      enroll  <member>  [--birthday YYYY-MM-DD] [--home-store S001] [--marketing] [--personalisation]
      get     <member>
      accrue  <member>  --total CNY [--line SKU:CATEGORY:QTY:CNY]...
                        (no --line: one line "ITEM" x1 with the whole total; no --total: sum of the lines)
      reserve <member>  --points N [--hold-seconds S]
      capture <member>  --hold HOLD-ID [--points N]          (no --points: the whole hold)
      release <member>  --hold HOLD-ID
      refund  <member>  --original REQUEST-ID [--amount CNY] (no --amount: everything not yet refunded)

    Common options:
      --address URL      server (default: $MEMBERGRAINS_ADDRESS or http://127.0.0.1:5080)
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
      reserve M1001 --points 100
      capture M1001 --hold <hold-id>
      refund M1001 --original R-0001 --amount 100.00
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
            line.Check([.. mutationOptions, "--total", "--line"], 1);
            break;
        case "reserve":
            line.Check([.. mutationOptions, "--points", "--hold-seconds"], 1);
            break;
        case "capture":
            line.Check([.. mutationOptions, "--hold", "--points"], 1);
            break;
        case "release":
            line.Check([.. mutationOptions, "--hold"], 1);
            break;
        case "refund":
            line.Check([.. mutationOptions, "--original", "--amount"], 1);
            break;
        default:
            Console.Error.WriteLine($"Unknown command '{command}'.");
            Console.Error.WriteLine();
            Console.Error.WriteLine(Usage);
            return 2;
    }

    var memberId = line.MemberId;
    var store = line.Get("--store") ?? "S001";
    var terminal = line.Get("--terminal") ?? "T01";
    var address = ParseAddress(line.Get("--address") ?? Environment.GetEnvironmentVariable("MEMBERGRAINS_ADDRESS") ?? "http://127.0.0.1:5080");
    var timeout = line.GetInt64("--timeout") ?? 30;
    if (timeout <= 0)
    {
        throw new UsageException("--timeout: must be a positive number of seconds.");
    }

    if (command != "get")
    {
        requestId = line.Get("--request");
        requestId ??= $"cli-{Guid.NewGuid():N}";
    }

    // Build the request before connecting, so command-line mistakes never reach the server.
    IMessage request = command switch
    {
        "enroll" => new EnrollMemberRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            Birthday = line.Get("--birthday") ?? "",
            HomeStoreId = line.Get("--home-store") ?? "",
            MarketingConsent = line.Has("--marketing"),
            PersonalisationConsent = line.Has("--personalisation"),
        },
        "get" => new GetMemberRequest { MemberId = memberId },
        "accrue" => BuildAccrue(line, memberId, requestId!, store, terminal),
        "reserve" => new ReserveRedemptionRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            Points = line.GetInt64("--points") ?? throw new UsageException("'reserve' needs --points."),
            HoldSeconds = checked((int)(line.GetInt64("--hold-seconds") ?? 0)),
        },
        "capture" => new CaptureRedemptionRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            HoldId = line.Required("--hold"),
            Points = line.GetInt64("--points") ?? 0,
        },
        "release" => new ReleaseRedemptionRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            HoldId = line.Required("--hold"),
        },
        _ => new RefundRequest
        {
            MemberId = memberId,
            RequestId = requestId,
            StoreId = store,
            TerminalId = terminal,
            OriginalRequestId = line.Required("--original"),
            AmountFen = line.GetFen("--amount") ?? 0,
        },
    };

    if (requestId is not null && !line.Has("--request"))
    {
        // On stderr, so --json output stays parseable.
        Console.Error.WriteLine($"request id {requestId} (pass --request {requestId} to retry)");
    }

    using var channel = GrpcChannel.ForAddress(address);
    var client = new PointOfSale.PointOfSaleClient(channel);
    var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(timeout));

    IMessage response = request switch
    {
        EnrollMemberRequest r => await client.EnrollMemberAsync(r, options),
        GetMemberRequest r => await client.GetMemberAsync(r, options),
        AccrueRequest r => await client.AccrueAsync(r, options),
        ReserveRedemptionRequest r => await client.ReserveRedemptionAsync(r, options),
        CaptureRedemptionRequest r => await client.CaptureRedemptionAsync(r, options),
        ReleaseRedemptionRequest r => await client.ReleaseRedemptionAsync(r, options),
        RefundRequest r => await client.RefundAsync(r, options),
        _ => throw new InvalidOperationException("unreachable"),
    };

    if (line.Has("--json"))
    {
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithFormatDefaultValues(true).WithIndentation());
        Console.WriteLine(formatter.Format(response));
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
    foreach (var violation in badRequest?.FieldViolations ?? [])
    {
        Console.Error.WriteLine($"  field {violation.Field}: {violation.Description}");
    }

    if (requestId is not null && e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
    {
        Console.Error.WriteLine($"  nothing may have been applied; retry with --request {requestId}");
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

static AccrueRequest BuildAccrue(CommandLine line, string memberId, string requestId, string store, string terminal)
{
    var request = new AccrueRequest { MemberId = memberId, RequestId = requestId, StoreId = store, TerminalId = terminal };
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

        request.Lines.Add(new PurchaseLine
        {
            Sku = string.Join(':', parts[..^3]),
            Category = parts[^3],
            Quantity = quantity,
            AmountFen = Money.ParseFen(parts[^1], $"--line {text}"),
        });
    }

    var total = line.GetFen("--total");
    if (request.Lines.Count == 0)
    {
        request.TotalFen = total ?? throw new UsageException("'accrue' needs --total (or at least one --line).");
        request.Lines.Add(new PurchaseLine { Sku = "ITEM", Quantity = 1, AmountFen = request.TotalFen });
    }
    else
    {
        request.TotalFen = total ?? request.Lines.Sum(l => l.AmountFen);
    }

    return request;
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
    AccrueResponse r => Summary(r.Receipt, "Earned"),
    ReserveRedemptionResponse r => Summary(r.Receipt, "Held") + $"{Environment.NewLine}hold {r.HoldId} · lapses {When(r.HoldExpiresAt)}",
    CaptureRedemptionResponse r => Summary(r.Receipt, "Redeemed"),
    ReleaseRedemptionResponse r => Summary(r.Receipt, "Released"),
    RefundResponse r => Summary(r.Receipt, "Took back"),
    Member m => DescribeMember(m),
    _ => response.ToString() ?? "",
};

static string DescribeMember(Member m)
{
    var tier = m.Tier.ToString().ToUpperInvariant();
    var lines = new List<string>
    {
        $"Member {m.MemberId} · tier {tier} · enrolled {When(m.EnrolledAt)}"
            + (m.Birthday.Length > 0 ? $" · birthday {m.Birthday}" : "")
            + (m.HomeStoreId.Length > 0 ? $" · home store {m.HomeStoreId}" : ""),
        $"Points: balance {m.Balance} · held {m.Held} · available {m.Available}" + (m.Debt != 0 ? $" · debt {m.Debt}" : ""),
        $"Spend: lifetime {Money.Format(m.LifetimeSpendFen)} CNY · qualifying {Money.Format(m.QualifyingSpendFen)} CNY · {m.PurchaseCount} purchase(s)"
            + (m.LastPurchaseAt is null ? "" : $" · last {When(m.LastPurchaseAt)}"),
        $"Lots ({m.Lots.Count}):",
    };
    lines.AddRange(m.Lots.Select(l => $"  {l.Remaining,8} points · earned {When(l.EarnedAt)} · expires {When(l.ExpiresAt)}"));
    lines.Add($"Open holds ({m.Holds.Count}):");
    lines.AddRange(m.Holds.Select(h => $"  {h.HoldId} · {h.Points} points · lapses {When(h.ExpiresAt)} · {h.StoreId}/{h.TerminalId}"));
    lines.Add($"Consent: marketing {(m.MarketingConsent ? "yes" : "no")} · personalisation {(m.PersonalisationConsent ? "yes" : "no")} · program v{m.ProgramVersion} · as of {When(m.AsOf)}");
    return string.Join(Environment.NewLine, lines);
}
