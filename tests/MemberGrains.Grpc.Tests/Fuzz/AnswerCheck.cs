using System.Text.RegularExpressions;
using Grpc.Core;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Judges one answer: OK or a well-formed refusal (a refusal status; a message that is there and
/// leaks no .NET internals; INVALID_ARGUMENT with a BadRequest naming fields of the request), and
/// what the contract expects of the case.
/// </summary>
internal static partial class AnswerCheck
{
    private static readonly StatusCode[] Refusals =
        [StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.AlreadyExists, StatusCode.OutOfRange];

    public static List<string> Problems(FuzzCase fuzzCase, CallOutcome outcome)
    {
        var problems = new List<string>();
        var expect = fuzzCase.Expect;
        if (outcome.IsOk)
        {
            if (expect.IsRefusal)
            {
                problems.Add($"expected {expect}, but it was accepted");
            }

            return problems;
        }

        if (expect.IsOk)
        {
            problems.Add("expected OK");
        }
        else if (expect.Code is { } code && code != outcome.Code)
        {
            problems.Add($"expected {expect}");
        }

        if (!Refusals.Contains(outcome.Code) && !(fuzzCase.Oversized && outcome.Code == StatusCode.ResourceExhausted))
        {
            problems.Add($"{Wire.StatusName(outcome.Code)} is not a well-formed refusal");
        }

        if (string.IsNullOrWhiteSpace(outcome.Message))
        {
            problems.Add("the message is empty");
        }
        else if (Leak(outcome.Message) is { } leak)
        {
            problems.Add($"the message leaks {leak}");
        }

        if (outcome.DetailsError is { } error)
        {
            problems.Add($"grpc-status-details-bin is not a google.rpc.Status ({error})");
        }
        else if (outcome.Details is { } details && details.Code != (int)outcome.Code)
        {
            problems.Add($"grpc-status-details-bin says code {details.Code}, the status {(int)outcome.Code}");
        }

        var violations = outcome.Violations;
        if (outcome.Code == StatusCode.InvalidArgument && violations.Count == 0 && !fuzzCase.Malformed)
        {
            problems.Add("INVALID_ARGUMENT without a google.rpc.BadRequest field violation");
        }

        foreach (var violation in violations)
        {
            if (!FieldPaths.Exists(fuzzCase, violation.Field))
            {
                problems.Add($"the BadRequest names '{violation.Field}', which is not a field of the {fuzzCase.Method.InputType.Name}");
            }

            if (string.IsNullOrWhiteSpace(violation.Description))
            {
                problems.Add($"the violation of '{violation.Field}' has no description");
            }
            else if (Leak(violation.Description) is { } leak)
            {
                problems.Add($"the violation of '{violation.Field}' leaks {leak}");
            }
        }

        if (expect.Fields.Count > 0 && expect.Code == outcome.Code && !violations.Any(v => expect.Fields.Contains(v.Field)))
        {
            problems.Add($"expected {expect}, but it names {(violations.Count == 0 ? "no field" : string.Join(", ", violations.Select(v => v.Field).Distinct().Take(5)))}");
        }

        return problems;
    }

    /// <summary>What of the .NET internals the text shows (a stack frame, an exception or type name), or null.</summary>
    public static string? Leak(string text)
    {
        if (StackFrame().Match(text) is { Success: true } frame)
        {
            return $"a stack trace ('{frame.Value.Trim()}')";
        }

        if (ExceptionName().Match(text) is { Success: true } exception)
        {
            return $"an exception type name ('{exception.Value}')";
        }

        return TypeName().Match(text) is { Success: true } type ? $"a .NET type name ('{type.Value}')" : null;
    }

    [GeneratedRegex(@"(^|\s)at [\w.`<>\[\]]+\(|--- End of|\.cs:line \d+", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@"\b\w+Exception\b")]
    private static partial Regex ExceptionName();

    [GeneratedRegex(@"\b(System|Microsoft|Npgsql|Orleans|Grpc|Google\.Protobuf|MemberGrains)\.[A-Z][\w.`]*")]
    private static partial Regex TypeName();
}
