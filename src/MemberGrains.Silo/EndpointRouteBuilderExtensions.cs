using MemberGrains.Silo.Grpc;

namespace MemberGrains.Silo;

/// <summary>Maps the silo's endpoints.</summary>
public static class EndpointRouteBuilderExtensions
{
    public static WebApplication MapMemberGrains(this WebApplication app)
    {
        app.MapGrpcService<PointOfSaleService>();
        app.MapGrpcService<StoreScreenService>();
        app.MapGrpcReflectionService();
        app.MapGrpcHealthChecksService();
        return app;
    }
}
