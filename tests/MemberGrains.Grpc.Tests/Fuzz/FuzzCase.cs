using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>One request the fuzzer sends, with everything needed to judge the answer.</summary>
internal sealed class FuzzCase
{
    public required int Index { get; init; }

    /// <summary>What was changed, for the failure message.</summary>
    public required string Label { get; init; }

    public required MethodDescriptor Method { get; init; }

    /// <summary>The bytes sent.</summary>
    public required byte[] Payload { get; init; }

    /// <summary>The request the bytes decode to, or null when they don't decode.</summary>
    public required IMessage? Request { get; init; }

    public required Expectation Expect { get; init; }

    /// <summary>Pool members whose state a refusal (or a read-only call) must leave exactly as it was.</summary>
    public IReadOnlyList<string> Watched { get; init; } = [];

    /// <summary>A fresh member id that must still not be enrolled after a refusal.</summary>
    public string? NewMemberId { get; init; }

    /// <summary>The call must change nothing even when answered OK.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>The message is larger than the server's receive limit: RESOURCE_EXHAUSTED is a well-formed answer.</summary>
    public bool Oversized { get; init; }

    /// <summary>The bytes are not a valid protobuf message (or hold invalid UTF-8): the refusal can't always name a field.</summary>
    public bool Malformed { get; init; }
}
