using Grpc.Core;

namespace MemberGrains.LoadTests.Drills;

/// <summary>The end of a retried request: the verdict, the answer (OK only), the last status and message, the silo that answered last and how many attempts it took.</summary>
internal readonly record struct CallOutcome<T>(CallVerdict Verdict, T? Reply, StatusCode Code, string Detail, int Silo, int Attempts)
    where T : class
{
    public bool Ok => Verdict == CallVerdict.Ok;
}
