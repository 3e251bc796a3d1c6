using Grpc.Core;

namespace MemberGrains.LoadTests.Drills;

/// <summary>Which answers end a request and which are retried, and how long to wait before the next attempt.</summary>
internal static class RetryPolicy
{
    /// <summary>
    /// A definite refusal: the server looked at the request and said no. Everything else
    /// (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, UNKNOWN, ABORTED, RESOURCE_EXHAUSTED …)
    /// says nothing certain about the outcome and is retried with the same request id.
    /// </summary>
    public static bool IsRefusal(StatusCode code) => code is StatusCode.InvalidArgument or StatusCode.NotFound
        or StatusCode.FailedPrecondition or StatusCode.AlreadyExists or StatusCode.OutOfRange
        or StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.Unimplemented;

    /// <summary>
    /// Short exponential backoff, as a till with a customer waiting retries: 25, 50, 100, 200, 200 … ms,
    /// with up to a quarter more at random (so the time until a member answers again is measured to
    /// within about a quarter second).
    /// </summary>
    public static TimeSpan Backoff(int attempt, Random random)
    {
        var ms = 25 * (1 << Math.Min(attempt, 3));
        return TimeSpan.FromMilliseconds(ms + random.Next(ms / 4 + 1));
    }
}
