using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Every membergrains.v1.PointOfSale rpc with hostile field values (see <see cref="HostileText"/>,
/// <see cref="HostileNumbers"/>, <see cref="BasketAttacks"/> and the state-dependent changes of
/// <see cref="PosWorld"/>): each answer is OK or a well-formed refusal, and a refusal leaves the
/// pool members' GetMember answers and Postgres rows exactly as they were.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class PointOfSaleFuzzTests(AdminHostFixture fixture) : FuzzTestBase(fixture)
{
    public static TheoryData<string> Rpcs() => RpcsOf(PointOfSale.Descriptor);

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task AnyRpc_HostileFieldValues_OkOrWellFormedRefusalThatChangesNothing(string rpc)
    {
        var world = await PosWorld.CreateAsync(Pos, Db, Ct);

        await FuzzAsync(world, rpc, raw: false);
    }
}
