using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// membergrains.v1.Admin for the fuzzer: the flat program as the document to publish, hostile
/// documents (not JSON, deeply nested, huge, with NUL or lone-surrogate escapes, extreme numbers),
/// versions and cursors that don't exist, and the check that a refused publish stored nothing (the
/// loyalty_program rows in Postgres: read there, because what a broken server stored can make
/// ListPrograms itself unreadable). <see cref="RestoreAsync"/> publishes the flat program again.
/// API keys: hostile names and scopes, key ids that are not ids or name no key; a refused create
/// stores no key, a refused revoke revokes none, and only keys made for the run are ever revoked.
/// </summary>
internal sealed class AdminWorld : IFuzzWorld
{
    private static readonly Dictionary<string, FieldSpec[]> FieldsByRpc = new()
    {
        ["PublishProgram"] =
        [
            FieldSpec.Text("document_json", FieldKind.Document, true, 0), FieldSpec.Text("published_by", FieldKind.FreeText, true),
            FieldSpec.Text("note", FieldKind.FreeText, false, FieldSpec.NoteLength),
        ],
        ["GetProgram"] = [FieldSpec.Number("version", 0)],
        ["ListPrograms"] = [],
        ["ReadEvents"] = [FieldSpec.Text("after", FieldKind.Cursor, false), FieldSpec.Number("max_events", 0, 1_000)],
        ["CreateApiKey"] = [FieldSpec.Text("name", FieldKind.FreeText, true), FieldSpec.Text("scope", FieldKind.KeyScope, true)],
        ["RevokeApiKey"] = [FieldSpec.Text("key_id", FieldKind.KeyRef, true)],
        ["ListApiKeys"] = [],
    };

    private static readonly string[] Scopes = ["pos", "screen", "admin"];

    private readonly Admin.AdminClient _admin;
    private readonly Db _db;
    private readonly string _flat = TestPrograms.FlatJson;
    private readonly List<string> _cursors = [];
    private readonly List<string> _revokedKeys = [];
    private long _keys;
    private long _revoked;
    private long _stored;
    private int _activeVersion;
    private int _serial;

    private AdminWorld(Admin.AdminClient admin, Db db)
    {
        _admin = admin;
        _db = db;
    }

    public ServiceDescriptor Service => Admin.Descriptor;

    /// <summary>Whether a program was published during the run (the active one may no longer be the flat program).</summary>
    public bool Published { get; private set; }

    public static async Task<AdminWorld> CreateAsync(Admin.AdminClient admin, Db db, CancellationToken ct)
    {
        var world = new AdminWorld(admin, db);
        await world.ReadStoredAsync();
        var page = await admin.ReadEventsAsync(new ReadEventsRequest { MaxEvents = 1 }, cancellationToken: ct);
        if (page.NextCursor.Length > 0)
        {
            world._cursors.Add(page.NextCursor);
        }

        return world;
    }

    /// <summary>Publishes the flat program again if the run published anything, so later tests run on its rules.</summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        if (Published)
        {
            await _admin.PublishProgramAsync(new PublishProgramRequest { DocumentJson = _flat, PublishedBy = "fuzz-restore", Note = "the flat program again after the fuzz run" }, cancellationToken: ct);
        }
    }

    public IReadOnlyList<FieldSpec> Fields(string rpc) => FieldsByRpc[rpc];

    public IReadOnlyList<Func<Baseline, Random, Mutation?>> SoloMutations(string rpc) => rpc switch
    {
        "PublishProgram" => [.. DocumentAttacks().Select(attack => (Func<Baseline, Random, Mutation?>)((b, r) => Document(b, attack(r))))],
        "GetProgram" => [UnknownVersion, ExistingVersion],
        "ListPrograms" => [UnknownFields],
        "ReadEvents" => [RealCursor, MangledCursor, UnknownFields],
        "CreateApiKey" => [NotAScope, UnknownFields],
        "RevokeApiKey" => [UnknownKey, KeyTextForId, RevokedAgain, UnknownFields],
        "ListApiKeys" => [UnknownFields],
        _ => [],
    };

    public async Task<Baseline> BaselineAsync(string rpc, Random random, CancellationToken ct) => rpc switch
    {
        "CreateApiKey" => new Baseline(
            new CreateApiKeyRequest { Name = string.Create(CultureInfo.InvariantCulture, $"fuzz key {++_serial}"), Scope = Scopes[random.Next(Scopes.Length)] },
            []),
        // A key made for this case alone: the fuzzer never revokes one anybody uses.
        "RevokeApiKey" => new Baseline(
            new RevokeApiKeyRequest
            {
                KeyId = (await _admin.CreateApiKeyAsync(new CreateApiKeyRequest { Name = string.Create(CultureInfo.InvariantCulture, $"fuzz revoke {++_serial}"), Scope = "screen" }, cancellationToken: ct)).KeyId,
            },
            []),
        "ListApiKeys" => new Baseline(new ListApiKeysRequest(), [], ReadOnly: true),
        _ => Baseline(rpc, random),
    };

    private Baseline Baseline(string rpc, Random random) => rpc switch
    {
        "PublishProgram" => new Baseline(
            new PublishProgramRequest
            {
                DocumentJson = _flat,
                PublishedBy = string.Create(CultureInfo.InvariantCulture, $"fuzz-{++_serial}"),
                Note = random.Next(2) == 0 ? string.Empty : "fuzz run",
            },
            []),
        "GetProgram" => new Baseline(new GetProgramRequest { Version = random.Next(2) == 0 ? 0 : random.Next(1, _activeVersion + 1) }, [], ReadOnly: true),
        "ListPrograms" => new Baseline(new ListProgramsRequest(), [], ReadOnly: true),
        "ReadEvents" => new Baseline(
            new ReadEventsRequest
            {
                After = random.Next(2) == 0 || _cursors.Count == 0 ? string.Empty : _cursors[random.Next(_cursors.Count)],
                MaxEvents = random.Next(3) == 0 ? 0 : random.Next(1, 50),
            },
            [],
            ReadOnly: true),
        _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not an Admin rpc."),
    };

    public async Task VerifyAsync(FuzzCase fuzzCase, CallOutcome outcome, Action<string> fail, CancellationToken ct)
    {
        switch (fuzzCase.Method.Name)
        {
            case "PublishProgram":
            {
                var before = _stored;
                await ReadStoredAsync();
                if (outcome.IsOk)
                {
                    Published = true;
                    if (_stored != before + 1)
                    {
                        fail($"the publish was answered OK but loyalty_program went from {before} to {_stored} rows");
                    }
                }
                else if (_stored != before)
                {
                    Published = true;
                    fail($"the refused publish stored a program: loyalty_program went from {before} to {_stored} rows");
                }

                break;
            }

            case "CreateApiKey" or "RevokeApiKey":
            {
                var (keys, revoked) = (_keys, _revoked);
                await ReadStoredAsync();
                var creates = fuzzCase.Method.Name == "CreateApiKey";
                if (outcome.IsOk && creates && _keys != keys + 1)
                {
                    fail($"the key was created but api_key went from {keys} to {_keys} rows");
                }
                else if (!outcome.IsOk && creates && _keys != keys)
                {
                    fail($"the refused create stored a key: api_key went from {keys} to {_keys} rows");
                }
                else if (!creates && _revoked > revoked + (outcome.IsOk ? 1 : 0))
                {
                    fail($"revoked keys went from {revoked} to {_revoked} ({(outcome.IsOk ? "one revoke answered OK" : "the revoke was refused")})");
                }

                if (!creates && outcome.IsOk && _revokedKeys.Count < 20)
                {
                    _revokedKeys.Add(RevokeApiKeyResponse.Parser.ParseFrom(outcome.Reply).Key.KeyId);
                }

                if (await _db.ScalarAsync<long>("SELECT count(*) FROM api_key WHERE revoked_at IS NOT NULL AND name NOT LIKE 'fuzz %'") != 0)
                {
                    fail("a key not made by the fuzzer was revoked");
                }

                break;
            }

            case "ReadEvents" when outcome.IsOk:
            {
                var cursor = ReadEventsResponse.Parser.ParseFrom(outcome.Reply).NextCursor;
                if (cursor.Length > 0 && !_cursors.Contains(cursor) && _cursors.Count < 20)
                {
                    _cursors.Add(cursor);
                }

                break;
            }
        }
    }

    private async Task ReadStoredAsync()
    {
        _keys = await _db.ScalarAsync<long>("SELECT count(*) FROM api_key");
        _revoked = await _db.ScalarAsync<long>("SELECT count(*) FROM api_key WHERE revoked_at IS NOT NULL");
        _stored = await _db.ScalarAsync<long>("SELECT count(*) FROM loyalty_program");
        _activeVersion = await _db.ScalarAsync<int>("SELECT COALESCE(max(version), 0) FROM loyalty_program");
    }

    private static Mutation Document(Baseline baseline, (string Label, string Document, Expectation Expect) attack)
    {
        ((PublishProgramRequest)baseline.Request).DocumentJson = attack.Document;
        return new Mutation($"document_json := {attack.Label}", attack.Expect);
    }

    private List<Func<Random, (string, string, Expectation)>> DocumentAttacks()
    {
        var invalid = Expectation.Invalid();
        string[] notJson = ["not json", "{", "}{", "<program/>", "'single'", "NaN", "{\"schema\":1,}", "\0{}"];
        string[] notAProgram = ["null", "[]", "42", "\"text\"", "{}", "true"];
        string[] unknownNames = ["生鲜", "extra", "a b", "\u202E", "earning "];
        string[] bonuses = ["9223372036854775807", "-1", "1e400", "1.5", "\"100\"", "null", "true", "-9223372036854775808", "18446744073709551616"];
        string[] rates = ["1e308", "-1", "0", "1e-400", "79228162514264337593543950336"];
        string[] names = ["x\\u0000y", "\\ud800", "\\udfff\\ud800", "\u202Eevil", "生鲜 🍎", "a\\u0007b"];
        return
        [
            r => { var text = notJson[r.Next(notJson.Length)]; return (Show.Text(text), text, invalid); },
            r => { var text = notAProgram[r.Next(notAProgram.Length)]; return (text, text, invalid); },
            r => { var cut = r.Next(1, _flat.Length - 1); return ($"the flat program cut after {cut} of {_flat.Length} characters", _flat[..cut], invalid); },
            r => { var depth = r.Next(2) == 0 ? 10_000 : 200; return ($"arrays nested {depth} deep", new string('[', depth) + new string(']', depth), invalid); },
            r => { var depth = r.Next(2) == 0 ? 5_000 : 100; return ($"objects nested {depth} deep", Nested(depth), invalid); },
            r => ("the flat program with name := arrays nested 5,000 deep", Replace("name", "\"FLAT\"", new string('[', 5_000) + new string(']', 5_000)), invalid),
            r => { var count = r.Next(2) == 0 ? 300_000 : 30_000; return ($"an array of {count} numbers", "[" + string.Join(',', Enumerable.Range(0, count)) + "]", invalid); },
            r => { var count = r.Next(2) == 0 ? 50_000 : 2_000; return ($"the flat program with {count} unknown members", UnknownMembers(count), invalid); },
            r => ("the flat program with a name of 1 MB", Replace("name", "\"FLAT\"", "\"" + new string('n', 1 << 20) + "\""), Expectation.Any),
            r => { var name = unknownNames[r.Next(unknownNames.Length)]; return ($"the flat program with an unknown member {Show.Text(name)}", _flat.Insert(_flat.IndexOf('{', StringComparison.Ordinal) + 1, $"\"{name}\": 1, "), invalid); },
            r => { var name = names[r.Next(names.Length)]; return ($"the flat program named {Show.Text(name)} (JSON text)", Replace("name", "\"FLAT\"", $"\"{name}\""), Expectation.Any); },
            r => { var bonus = bonuses[r.Next(bonuses.Length)]; return ($"the flat program with enrollmentBonus {bonus}", Replace("enrollmentBonus", "100", bonus), Expectation.Any); },
            r => { var rate = rates[r.Next(rates.Length)]; return ($"the flat program with pointsPerUnit {rate}", ReplaceRate(rate), Expectation.Any); },
            r => ("the flat program with name twice", _flat.Insert(_flat.IndexOf('{', StringComparison.Ordinal) + 1, "\"name\": \"dup\", "), Expectation.Any),
            r => ("the flat program after a BOM", "\uFEFF" + _flat, Expectation.Any),
            r => ("the flat program after a comment", "/* fuzz */ " + _flat, Expectation.Any),
        ];
    }

    private static string Nested(int depth)
    {
        var text = new StringBuilder(depth * 6 + 2);
        for (var i = 0; i < depth; i++)
        {
            text.Append("{\"a\":");
        }

        text.Append('1');
        text.Append('}', depth);
        return text.ToString();
    }

    /// <summary>The flat program with the top-level or earning member <paramref name="member"/> set to <paramref name="json"/> (raw JSON text).</summary>
    private static string Replace(string member, string marker, string json)
    {
        var document = TestPrograms.FlatWith(d =>
        {
            if (member == "name")
            {
                d["name"] = "FLAT";
            }
            else
            {
                d["earning"]![member] = 100;
            }
        });
        var at = document.IndexOf($"\"{member}\":{marker}", StringComparison.Ordinal);
        return document[..at] + $"\"{member}\":" + json + document[(at + member.Length + 3 + marker.Length)..];
    }

    private static string ReplaceRate(string rate)
    {
        var document = TestPrograms.FlatWith(d => d["earning"]!["brackets"]![0]!["pointsPerUnit"] = 424_242);
        return document.Replace("424242", rate, StringComparison.Ordinal);
    }

    private string UnknownMembers(int count)
    {
        var members = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            members.Append(CultureInfo.InvariantCulture, $"\"unknown{i}\": {i}, ");
        }

        return _flat.Insert(_flat.IndexOf('{', StringComparison.Ordinal) + 1, members.ToString());
    }

    private Mutation? UnknownVersion(Baseline baseline, Random random)
    {
        var version = random.Next(3) == 0 ? int.MaxValue : _activeVersion + 1 + random.Next(1_000);
        ((GetProgramRequest)baseline.Request).Version = version;
        return new Mutation($"version := {version} (never published)", Expectation.NotFound("version"));
    }

    private Mutation? ExistingVersion(Baseline baseline, Random random)
    {
        var version = random.Next(1, _activeVersion + 1);
        ((GetProgramRequest)baseline.Request).Version = version;
        return new Mutation($"version := {version} (published)", Expectation.Ok);
    }

    private Mutation? RealCursor(Baseline baseline, Random random)
    {
        if (_cursors.Count == 0)
        {
            return null;
        }

        var cursor = _cursors[random.Next(_cursors.Count)];
        ((ReadEventsRequest)baseline.Request).After = cursor;
        return new Mutation($"after := {cursor} (a next_cursor ReadEvents returned)", Expectation.Ok);
    }

    private Mutation? MangledCursor(Baseline baseline, Random random)
    {
        var cursor = _cursors.Count == 0 ? "1.1" : _cursors[random.Next(_cursors.Count)];
        string[] mangled = [cursor + "x", "-" + cursor, cursor.Replace('.', ','), "1.", ".1", "18446744073709551616.1", "1.9223372036854775808", "١٢.٣", cursor + "\u202E", cursor + ".1"];
        var after = mangled[random.Next(mangled.Length)];
        ((ReadEventsRequest)baseline.Request).After = after;
        return new Mutation($"after := {Show.Text(after)} (not a cursor)", Expectation.Invalid("after"));
    }

    private static Mutation? NotAScope(Baseline baseline, Random random)
    {
        string[] wrong = ["POS", "Admin", " pos", "screen ", "root", "all", "pos,screen", "管理", "admin\0"];
        var scope = wrong[random.Next(wrong.Length)];
        ((CreateApiKeyRequest)baseline.Request).Scope = scope;
        return new Mutation($"scope := {Show.Text(scope)} (not a scope)", Expectation.Invalid("scope"));
    }

    private static Mutation? UnknownKey(Baseline baseline, Random random)
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        ((RevokeApiKeyRequest)baseline.Request).KeyId = keyId;
        return new Mutation($"key_id := {keyId} (no such key)", Expectation.NotFound("key_id"));
    }

    private static Mutation? KeyTextForId(Baseline baseline, Random random)
    {
        var request = (RevokeApiKeyRequest)baseline.Request;
        var text = $"mgk_{request.KeyId}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";
        request.KeyId = text;
        return new Mutation("key_id := a key's text instead of its id", Expectation.Invalid("key_id"));
    }

    private Mutation? RevokedAgain(Baseline baseline, Random random)
    {
        if (_revokedKeys.Count == 0)
        {
            return null;
        }

        var keyId = _revokedKeys[random.Next(_revokedKeys.Count)];
        ((RevokeApiKeyRequest)baseline.Request).KeyId = keyId;
        return new Mutation($"key_id := {keyId} (revoked already)", Expectation.Ok);
    }

    private static Mutation? UnknownFields(Baseline baseline, Random random) =>
        new("unknown fields of every wire type appended", Expectation.Ok, [.. baseline.Request.ToByteArray(), .. Wire.UnknownFields(random)]);
}
