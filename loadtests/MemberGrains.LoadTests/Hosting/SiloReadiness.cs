using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace MemberGrains.LoadTests.Hosting;

/// <summary>Waits until a silo's gRPC health check answers SERVING.</summary>
internal static class SiloReadiness
{
    public static async Task WaitAsync(Uri address, Func<string?> failed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var health = new Health.HealthClient(channel);
        var until = DateTime.UtcNow + timeout;
        string last = "no answer yet";
        while (DateTime.UtcNow < until)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (failed() is { } why)
            {
                throw new InvalidOperationException($"The silo stopped before it was ready: {why}");
            }

            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }

                last = reply.Status.ToString();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal)
            {
                last = e.Status.Detail;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new TimeoutException($"The silo at {address} was not SERVING within {timeout.TotalSeconds:0} s (last: {last}).");
    }
}
