using Grpc.Core;

namespace MemberGrains.LoadTests.Workload;

/// <summary>A timed call's answer (null on failure), its status and when it completed (Stopwatch timestamp).</summary>
internal readonly record struct CallResult<T>(T? Reply, StatusCode Code, string Detail, long CompletedAt)
    where T : class
{
    public bool Ok => Code == StatusCode.OK;
}
