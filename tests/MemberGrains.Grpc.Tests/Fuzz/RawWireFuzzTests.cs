using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Every rpc of PointOfSale, Admin and Diagnostics with malformed bytes sent through a byte-level
/// marshaller (see <see cref="RawFuzzer"/>): invalid UTF-8 in each string field, truncated and
/// random messages, unknown fields, bad tags, lengths and varints, and a message over the receive
/// limit. Bytes that don't decode are INVALID_ARGUMENT, the oversized message RESOURCE_EXHAUSTED,
/// never UNKNOWN or INTERNAL, and nothing changes.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class RawWireFuzzTests(AdminHostFixture fixture) : FuzzTestBase(fixture)
{
    public static TheoryData<string, string> Rpcs()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in new[] { PointOfSale.Descriptor, Admin.Descriptor, Diagnostics.Descriptor })
        {
            foreach (var method in service.Methods)
            {
                data.Add(service.Name, method.Name);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task AnyRpc_MalformedWireBytes_InvalidArgumentOrResourceExhaustedThatChangesNothing(string service, string rpc)
    {
        switch (service)
        {
            case "PointOfSale":
                await FuzzAsync(await PosWorld.CreateAsync(Pos, Db, Ct), rpc, raw: true);
                break;
            case "Admin":
                var admin = await AdminWorld.CreateAsync(Fixture.Admin, Db, Ct);
                await FuzzAsync(admin, rpc, raw: true, afterRun: () => admin.RestoreAsync(Ct));
                break;
            default:
                await FuzzAsync(new DiagnosticsWorld(Pos), rpc, raw: true);
                break;
        }
    }
}
