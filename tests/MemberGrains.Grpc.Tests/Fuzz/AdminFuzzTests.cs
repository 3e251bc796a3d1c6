using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Every membergrains.v1.Admin rpc with hostile field values and program documents (see
/// <see cref="AdminWorld"/>): each answer is OK or a well-formed refusal (a document's problems
/// named by JSON path), and a refused publish stores nothing.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class AdminFuzzTests(AdminHostFixture fixture) : FuzzTestBase(fixture)
{
    public static TheoryData<string> Rpcs() => RpcsOf(Admin.Descriptor);

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task AnyRpc_HostileFieldValuesAndDocuments_OkOrWellFormedRefusalThatStoresNothing(string rpc)
    {
        var world = await AdminWorld.CreateAsync(Fixture.Admin, Db, Ct);

        await FuzzAsync(world, rpc, raw: false, afterRun: () => world.RestoreAsync(Ct));
    }
}
