namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// The contract for text fields, as the expectation for one hostile value put into one field of an
/// otherwise valid request: control and format characters, over-long values and missing required
/// values are INVALID_ARGUMENT naming the field; sensible Unicode in till-chosen ids and categories
/// and values of exactly the longest allowed length are accepted.
/// </summary>
internal static class TextContract
{
    public static Expectation Expect(string rpc, FieldSpec spec, TextAttack attack, string path)
    {
        var invalid = Expectation.Invalid(path);
        if (spec.Kind == FieldKind.Document)
        {
            // JSON allows \t \r \n between tokens and any format character inside a string.
            return attack switch
            {
                TextAttack.Empty or TextAttack.Blank => Expectation.Invalid(path),
                TextAttack.Control or TextAttack.Format => Expectation.Any,
                _ => Expectation.Invalid(),
            };
        }

        var mustBeWellFormed = spec.Kind is FieldKind.Date or FieldKind.Cursor or FieldKind.ActivityKind or FieldKind.KeyScope or FieldKind.KeyRef;
        return attack switch
        {
            TextAttack.Empty => spec.Required ? invalid : Expectation.Any,
            TextAttack.Control or TextAttack.Format or TextAttack.OverLimit or TextAttack.Huge => invalid,
            TextAttack.AtLimit or TextAttack.Sensible => Accepted(rpc, spec, attack, path),
            _ => mustBeWellFormed ? invalid : Expectation.Any,
        };
    }

    private static Expectation Accepted(string rpc, FieldSpec spec, TextAttack attack, string path) => spec.Kind switch
    {
        // The proto comment still describes member numbers as ASCII; only their length is certain.
        FieldKind.MemberId => attack != TextAttack.AtLimit ? Expectation.Any
            : rpc == "EnrollMember" ? Expectation.Ok : Expectation.NotFound(path),
        FieldKind.RequestId or FieldKind.TillId or FieldKind.Category or FieldKind.FreeText => Expectation.Ok,
        FieldKind.HoldRef or FieldKind.PurchaseRef => Expectation.NotFound(path),
        _ => Expectation.Invalid(path),
    };
}
