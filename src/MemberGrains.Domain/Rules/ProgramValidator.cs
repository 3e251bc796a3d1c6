using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MemberGrains.Domain.Rules;

/// <summary>
/// Checks program documents before they can be published and lists everything wrong with them at
/// once, so an operator can fix a document in one round. Never throws for a bad document, and never
/// hands back a program when there is any problem. The rules are described in docs/program.md.
/// </summary>
public static class ProgramValidator
{
    /// <summary>
    /// Checks <paramref name="json"/> in two passes. The structural pass walks the raw document
    /// against the shape of the program records (unknown, missing, null and wrongly typed fields,
    /// unknown enum names). The rule pass then checks the values: on the program itself when the
    /// structure is sound, otherwise on a repaired copy, leaving out anything that depends on a
    /// repaired value, so the answer lists every problem the operator can act on.
    /// </summary>
    public static ProgramCheck Check(string json)
    {
        var report = new ValidationReport();
        var repaired = ValidationStructure.Read(json, report);
        if (repaired is null)
        {
            return Invalid(report);
        }

        if (report.HasProblems)
        {
            // The repaired copy is read only to find the remaining rule problems; it is never returned.
            if (TryRead(() => repaired.Deserialize<LoyaltyProgram>(ProgramJson.Options), out var standIn, out _))
            {
                ValidationSemantics.Check(standIn, report);
            }

            return Invalid(report);
        }

        if (!TryRead(() => ProgramJson.Deserialize(json), out var program, out var failure))
        {
            // Only reachable if the structural pass missed something the deserializer refuses.
            report.Add(ValidationPath.Root, $"The program document could not be read: {failure?.Message ?? "it is null."}");
            return Invalid(report);
        }

        return Check(program, report);
    }

    /// <summary>Checks the rules of a parsed program (one read from JSON or built in code).</summary>
    public static ProgramCheck Check(LoyaltyProgram program) => Check(program, new ValidationReport());

    private static ProgramCheck Check(LoyaltyProgram? program, ValidationReport report)
    {
        ValidationSemantics.Check(program, report);
        return report.HasProblems ? Invalid(report) : new ProgramCheck(program, []);
    }

    private static ProgramCheck Invalid(ValidationReport report) => new(null, [.. report.Problems]);

    private static bool TryRead(Func<LoyaltyProgram?> read, [NotNullWhen(true)] out LoyaltyProgram? program, out Exception? failure)
    {
        try
        {
            program = read();
            failure = null;
            return program is not null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        {
            program = null;
            failure = e;
            return false;
        }
    }
}
