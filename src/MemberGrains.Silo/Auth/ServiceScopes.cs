using MemberGrains.Persistence;

namespace MemberGrains.Silo.Auth;

/// <summary>
/// Which scope each gRPC service needs. Health and reflection need no key (load balancers and
/// tools call them); a service not named here needs admin until it is given its scope.
/// </summary>
public static class ServiceScopes
{
    public const string PointOfSale = "membergrains.v1.PointOfSale";

    public const string StoreScreen = "membergrains.v1.StoreScreen";

    private static readonly HashSet<string> Open = new(StringComparer.Ordinal)
    {
        "grpc.health.v1.Health",
        "grpc.reflection.v1alpha.ServerReflection",
        "grpc.reflection.v1.ServerReflection",
    };

    /// <summary>Whether calls to <paramref name="service"/> need no key.</summary>
    public static bool IsOpen(string service) => Open.Contains(service);

    /// <summary>
    /// The scope a call to <paramref name="service"/> needs: screen for StoreScreen (which pos and
    /// admin keys cover too), pos for PointOfSale, admin for Admin, Diagnostics and anything else.
    /// </summary>
    public static ApiKeyScope Needed(string service) => service switch
    {
        StoreScreen => ApiKeyScope.Screen,
        PointOfSale => ApiKeyScope.Pos,
        _ => ApiKeyScope.Admin,
    };

    /// <summary>The service of a gRPC method path: <c>/membergrains.v1.PointOfSale/Accrue</c> → <c>membergrains.v1.PointOfSale</c>.</summary>
    public static string ServiceOf(string method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var start = method.StartsWith('/') ? 1 : 0;
        var end = method.LastIndexOf('/');
        return end > start ? method[start..end] : method[start..];
    }
}
