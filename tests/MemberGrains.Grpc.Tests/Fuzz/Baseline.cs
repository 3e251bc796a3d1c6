using Google.Protobuf;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>A valid request the server answers OK, before the fuzzer changes it.</summary>
/// <param name="Request">The request; the fuzzer changes this instance.</param>
/// <param name="Watched">Members of the pool whose state a refusal must leave exactly as it was.</param>
/// <param name="NewMemberId">For an enrolment: the fresh member id a refusal must not enrol.</param>
/// <param name="ReadOnly">The rpc changes nothing even when it answers OK (GetMember, QuoteCheckout, the Admin reads).</param>
internal sealed record Baseline(IMessage Request, IReadOnlyList<string> Watched, string? NewMemberId = null, bool ReadOnly = false);
