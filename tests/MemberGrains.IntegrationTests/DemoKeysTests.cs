using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;
using MemberGrains.Silo;
using MemberGrains.Silo.Auth;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace MemberGrains.IntegrationTests;

/// <summary>
/// A fresh start in Development on the embedded PostgreSQL (what `dotnet run --project
/// src/MemberGrains.Silo` does) creates one demo key per scope, writes them next to the data
/// folder, and they work; a restart creates no new ones.
/// </summary>
public sealed class DemoKeysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FreshDevelopmentStart_EmbeddedPostgres_DemoKeysCreatedOnceWrittenAndWorking()
    {
        // Not CreateTempSubdirectory: its mode 700 would keep the postgres user (as root) out of the data folder.
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"mg-demo-keys-{Guid.NewGuid():N}"));
        var file = Path.Combine(folder.FullName, DemoKeys.FileName);
        try
        {
            string written;
            List<string> ids;
            await using (var first = await StartAsync(folder.FullName))
            {
                Assert.True(File.Exists(file), $"{file} was not written");
                written = await File.ReadAllTextAsync(file, Ct);
                var keys = Keys(written);
                Assert.Equal(["admin", "pos", "screen"], keys.Keys.Order(StringComparer.Ordinal));
                using var admin = TestKeys.Channel(first.GrpcAddress, keys["admin"]);
                using var pos = TestKeys.Channel(first.GrpcAddress, keys["pos"]);
                using var screen = TestKeys.Channel(first.GrpcAddress, keys["screen"]);
                var listed = (await new Admin.AdminClient(admin).ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken: Ct)).Keys;
                await new PointOfSale.PointOfSaleClient(pos).EnrollMemberAsync(new EnrollMemberRequest { MemberId = "M1001", RequestId = "e-1" }, cancellationToken: Ct);
                var view = await new StoreScreen.StoreScreenClient(screen).GetMemberViewAsync(new GetMemberViewRequest { MemberId = "M1001" }, cancellationToken: Ct);
                var denied = await Assert.ThrowsAsync<RpcException>(async () => await new PointOfSale.PointOfSaleClient(screen).GetMemberAsync(new GetMemberRequest { MemberId = "M1001" }, cancellationToken: Ct));

                Assert.Equal(3, listed.Count);
                Assert.All(listed, k => Assert.Equal(DemoKeys.CreatedBy, k.CreatedBy));
                Assert.Equal(["admin", "pos", "screen"], listed.Select(k => k.Scope).Order(StringComparer.Ordinal));
                Assert.Equal(100, view.Balance);
                Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
                ids = [.. listed.Select(k => k.KeyId).Order(StringComparer.Ordinal)];
                if (!OperatingSystem.IsWindows())
                {
                    Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
                }
            }

            await using (var second = await StartAsync(folder.FullName))
            {
                using var admin = TestKeys.Channel(second.GrpcAddress, Keys(written)["admin"]);
                var listed = (await new Admin.AdminClient(admin).ListApiKeysAsync(new ListApiKeysRequest(), cancellationToken: Ct)).Keys;

                Assert.Equal(written, await File.ReadAllTextAsync(file, Ct));
                Assert.Equal(ids, listed.Select(k => k.KeyId).Order(StringComparer.Ordinal));
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static Dictionary<string, string> Keys(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("keys").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    /// <summary>A silo as `dotnet run` starts it: Development, no connection string, the embedded Postgres in <paramref name="folder"/>/postgres.</summary>
    private static async Task<SiloHost> StartAsync(string folder)
    {
        var cluster = $"demo-{Guid.NewGuid():N}";
        var host = await SiloHost.CreateAsync(["--environment", "Development"], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:MemberGrains"] = string.Empty,
            ["MemberGrains:EmbeddedPostgresDirectory"] = Path.Combine(folder, "postgres"),
            ["MemberGrains:GrpcPort"] = "0",
            ["MemberGrains:HttpPort"] = "-1",
            ["MemberGrains:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MemberGrains:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["MemberGrains:ClusterId"] = cluster,
            ["MemberGrains:ServiceId"] = cluster,
            ["MemberGrains:Sweeper:IntervalSeconds"] = "0",
            ["MemberGrains:Program:InitialDocumentPath"] = TestPrograms.FlatPath,
            ["Logging:LogLevel:Default"] = "Warning",
        }), Ct);
        try
        {
            await host.StartAsync(Ct);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }
}
