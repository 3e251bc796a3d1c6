using System.Diagnostics;
using Grpc.Core;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Workload;

/// <summary>Awaits a started call and records its latency from <c>intendedStart</c> (not from when it was sent).</summary>
internal static class Calls
{
    public static async Task<CallResult<T>> TimeAsync<T>(OpRecorder recorder, long intendedStart, AsyncUnaryCall<T> call)
        where T : class
    {
        using (call)
        {
            try
            {
                var reply = await call.ResponseAsync.ConfigureAwait(false);
                var done = Stopwatch.GetTimestamp();
                recorder.Ok(intendedStart, done);
                return new CallResult<T>(reply, StatusCode.OK, string.Empty, done);
            }
            catch (RpcException e)
            {
                var done = Stopwatch.GetTimestamp();
                recorder.Failed(e.StatusCode, e.Status.Detail, intendedStart, done);
                return new CallResult<T>(null, e.StatusCode, e.Status.Detail, done);
            }
        }
    }
}
