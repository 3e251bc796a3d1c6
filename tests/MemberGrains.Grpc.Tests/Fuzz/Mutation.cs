namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>One change the fuzzer made to a valid request, and what the contract then expects.</summary>
/// <param name="Label">What was changed, for the failure message.</param>
/// <param name="Expect">What the answer must be.</param>
/// <param name="Payload">Bytes to send instead of the changed request (replays, unknown fields).</param>
/// <param name="ReadOnly">The call must change nothing even when it is answered OK (a replay).</param>
/// <param name="AlsoWatched">Members besides the baseline's whose state the call could touch.</param>
internal sealed record Mutation(
    string Label,
    Expectation Expect,
    byte[]? Payload = null,
    bool ReadOnly = false,
    IReadOnlyList<string>? AlsoWatched = null);
