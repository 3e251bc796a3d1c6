using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Every membergrains.v1.Diagnostics rpc with random payloads and unknown fields: always OK (PingMember: OK for an enrolled member, a well-formed refusal otherwise), Ping echoing its payload.</summary>
[Collection(FuzzCollection.Name)]
public sealed class DiagnosticsFuzzTests(AdminHostFixture fixture) : FuzzTestBase(fixture)
{
    public static TheoryData<string> Rpcs() => RpcsOf(Diagnostics.Descriptor);

    [Theory]
    [MemberData(nameof(Rpcs))]
    public Task AnyRpc_RandomPayloadsAndUnknownFields_Ok(string rpc) => FuzzAsync(new DiagnosticsWorld(Pos), rpc, raw: false);
}
