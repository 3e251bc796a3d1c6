using Google.Protobuf.Reflection;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// What the fuzzer needs to know about one service: valid requests to start from, the fields it may
/// change, the changes that need the service's state (unknown members, reused request ids, holds of
/// other members …), and how to check that a refusal changed nothing.
/// </summary>
internal interface IFuzzWorld
{
    ServiceDescriptor Service { get; }

    /// <summary>The fields of the rpc's request the fuzzer may put hostile values into.</summary>
    IReadOnlyList<FieldSpec> Fields(string rpc);

    /// <summary>Changes made alone to a valid request; each returns null when it does not apply now.</summary>
    IReadOnlyList<Func<Baseline, Random, Mutation?>> SoloMutations(string rpc);

    /// <summary>A valid request the server answers OK, made ready (an open hold, a refundable purchase …).</summary>
    Task<Baseline> BaselineAsync(string rpc, Random random, CancellationToken ct);

    /// <summary>Records what an OK answer changed and reports every way a refusal (or a read) changed state.</summary>
    Task VerifyAsync(FuzzCase fuzzCase, CallOutcome outcome, Action<string> fail, CancellationToken ct);
}
