using System.Diagnostics;
using Grpc.Core;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Drills;

/// <summary>
/// Sends one request until it is answered: every failure that is not a definite refusal is retried
/// with the same request (same request id, same payload) on the next silo, after a short backoff,
/// until it succeeds or the retry bound has passed. Every attempt's status is counted; a member's
/// failed and successful attempts feed the drill's recovery times.
/// </summary>
internal static class RetryingCall
{
    public static async Task<CallOutcome<T>> RunAsync<T>(
        DrillClients clients,
        DrillStats stats,
        int member,
        string operation,
        int firstSilo,
        TimeSpan bound,
        Random random,
        Func<PointOfSale.PointOfSaleClient, CallOptions, AsyncUnaryCall<T>> send,
        CancellationToken cancellationToken)
        where T : class
    {
        var started = Stopwatch.GetTimestamp();
        var silo = clients.Pick(firstSilo);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var call = send(clients.Pos(silo), clients.Options(cancellationToken));
                var reply = await call.ResponseAsync.ConfigureAwait(false);
                stats.Ok(operation);
                stats.Recovery.Succeeded(member, Stopwatch.GetTimestamp());
                return new CallOutcome<T>(CallVerdict.Ok, reply, StatusCode.OK, string.Empty, silo, attempt);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                stats.Failed(operation, e.StatusCode, e.Status.Detail);
                if (RetryPolicy.IsRefusal(e.StatusCode))
                {
                    return new CallOutcome<T>(CallVerdict.Refused, null, e.StatusCode, e.Status.Detail, silo, attempt);
                }

                stats.Recovery.Failed(member, Stopwatch.GetTimestamp());
                clients.Failed(silo, e);
                if (Stopwatch.GetElapsedTime(started) >= bound)
                {
                    return new CallOutcome<T>(CallVerdict.GaveUp, null, e.StatusCode, e.Status.Detail, silo, attempt);
                }

                await Task.Delay(RetryPolicy.Backoff(attempt - 1, random), cancellationToken).ConfigureAwait(false);
                silo = clients.Pick((silo + 1) % clients.Count);
            }
        }
    }
}
