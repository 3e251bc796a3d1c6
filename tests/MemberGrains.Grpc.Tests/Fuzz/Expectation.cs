using Grpc.Core;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// What the contract says the answer to one case must be, beyond being OK or a well-formed refusal
/// (which every answer must be): nothing more, OK, some refusal, or one status naming one of some fields.
/// </summary>
internal sealed class Expectation
{
    private readonly string _kind;

    private Expectation(string kind, StatusCode? code, IReadOnlyList<string> fields)
    {
        _kind = kind;
        Code = code;
        Fields = fields;
    }

    /// <summary>OK or any well-formed refusal.</summary>
    public static Expectation Any { get; } = new("any", null, []);

    /// <summary>OK.</summary>
    public static Expectation Ok { get; } = new("ok", StatusCode.OK, []);

    /// <summary>Any well-formed refusal, never OK.</summary>
    public static Expectation Refused { get; } = new("refused", null, []);

    /// <summary>The status a refusal must have, when the contract fixes it.</summary>
    public StatusCode? Code { get; }

    /// <summary>Fields the refusal may name (one of them must be in the BadRequest); empty: any field of the request.</summary>
    public IReadOnlyList<string> Fields { get; }

    public bool IsOk => _kind == "ok";

    public bool IsRefusal => _kind == "refused" || (_kind == "status" && Code != StatusCode.OK);

    public static Expectation Status(StatusCode code, params string[] fields) => new("status", code, fields);

    public static Expectation Invalid(params string[] fields) => Status(StatusCode.InvalidArgument, fields);

    public static Expectation NotFound(string field) => Status(StatusCode.NotFound, field);

    /// <summary>What several changes together must produce: a refusal if any one must be refused, OK if all must be OK.</summary>
    public static Expectation Combine(IReadOnlyList<Expectation> all)
    {
        if (all.Count == 1)
        {
            return all[0];
        }

        if (all.Any(e => e.IsRefusal))
        {
            return Refused;
        }

        return all.Count > 0 && all.All(e => e.IsOk) ? Ok : Any;
    }

    public override string ToString() => _kind switch
    {
        "any" => "OK or a well-formed refusal",
        "ok" => "OK",
        "refused" => "a refusal",
        _ => Fields.Count == 0
            ? Wire.StatusName(Code!.Value)
            : $"{Wire.StatusName(Code!.Value)} naming {string.Join(" or ", Fields)}",
    };
}
