using Grpc.Health.V1;
using Grpc.Net.Client;

namespace MemberGrains.Silo;

/// <summary>
/// <c>health</c>: asks a silo's <c>grpc.health.v1.Health</c> whether it serves (for container
/// health checks, which have no gRPC client of their own). Exit code 0 when SERVING, 1 otherwise.
/// </summary>
public static class HealthProbe
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var address = args.Count > 0 ? args[0] : "http://127.0.0.1:5080";
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            await Console.Error.WriteLineAsync($"health: '{address}' is not a URL such as http://127.0.0.1:5080.");
            return 2;
        }

        try
        {
            using var channel = GrpcChannel.ForAddress(uri);
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            Console.WriteLine(reply.Status);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (global::Grpc.Core.RpcException e)
        {
            Console.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
            return 1;
        }
    }
}
