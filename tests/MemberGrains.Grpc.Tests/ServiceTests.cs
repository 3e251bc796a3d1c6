using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using MemberGrains.Grpc.Tests.Infrastructure;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace MemberGrains.Grpc.Tests;

/// <summary>The standard services next to PointOfSale: health checking and server reflection.</summary>
[Collection(GrpcCollection.Name)]
public sealed class ServiceTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    private const string PointOfSaleService = "membergrains.v1.PointOfSale";

    [Fact]
    public async Task HealthCheck_WholeServer_Serving()
    {
        var health = new Health.HealthClient(Fixture.Channel);

        var response = await health.CheckAsync(new HealthCheckRequest { Service = string.Empty }, cancellationToken: Ct);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Theory]
    [InlineData(PointOfSaleService)]
    [InlineData("membergrains.v1")]
    [InlineData("postgres")]
    public async Task HealthCheck_AnyNamedService_NotFound(string service)
    {
        // Only the whole server ("", all checks including "postgres") is published; no per-service status.
        var health = new Health.HealthClient(Fixture.Channel);

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await health.CheckAsync(new HealthCheckRequest { Service = service }, cancellationToken: Ct));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public async Task ServerReflection_ListServices_IncludesPointOfSaleHealthAndReflection()
    {
        var reflection = new V1Alpha.ServerReflection.ServerReflectionClient(Fixture.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));

        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains(PointOfSaleService, services);
        Assert.Contains("grpc.health.v1.Health", services);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", services);
        Assert.Contains("grpc.reflection.v1.ServerReflection", services);
    }

    [Fact]
    public async Task ServerReflectionV1_ListServices_IncludesPointOfSale()
    {
        // grpcurl and Postman try grpc.reflection.v1 first.
        var reflection = new V1.ServerReflection.ServerReflectionClient(Fixture.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = string.Empty }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));

        Assert.Contains(PointOfSaleService, call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task ServerReflection_FileContainingPointOfSale_DescribesAllRpcs()
    {
        var reflection = new V1Alpha.ServerReflection.ServerReflectionClient(Fixture.Channel);
        using var call = reflection.ServerReflectionInfo(cancellationToken: Ct);

        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileContainingSymbol = PointOfSaleService }, Ct);
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(Ct));

        var response = call.ResponseStream.Current;
        Assert.Equal(V1Alpha.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, response.MessageResponseCase);
        var files = response.FileDescriptorResponse.FileDescriptorProto.Select(FileDescriptorProto.Parser.ParseFrom).ToList();
        var file = Assert.Single(files, f => f.Package == "membergrains.v1");
        Assert.Equal("membergrains/v1/point_of_sale.proto", file.Name);
        var service = Assert.Single(file.Service);
        Assert.Equal("PointOfSale", service.Name);
        Assert.Equal(
            ["EnrollMember", "GetMember", "Accrue", "ReserveRedemption", "CaptureRedemption", "ReleaseRedemption", "Refund", "RecordActivity", "QuoteCheckout"],
            service.Method.Select(m => m.Name));
    }
}
