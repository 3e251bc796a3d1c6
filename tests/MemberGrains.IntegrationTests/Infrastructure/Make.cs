using MemberGrains.Domain;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>Commands with sensible till defaults, as the gRPC edge would build them.</summary>
public static class Make
{
    public static string MemberId() => $"m-{Guid.NewGuid():N}";

    /// <summary>The enrolment of <paramref name="memberId"/>: the grain refuses one naming another member than its key.</summary>
    public static EnrollCommand Enroll(string memberId, string? requestId = null) =>
        new(memberId, requestId ?? $"enroll-{Guid.NewGuid():N}", Birthday: null, HomeStoreId: null, MarketingConsent: false, PersonalisationConsent: false);

    public static AccrueCommand Accrue(string requestId, long totalFen) =>
        new(requestId, "S001", "T01", totalFen, [new PurchaseLine("SKU-1", "grocery", 1, totalFen)]);

    /// <summary>A hold of <paramref name="points"/>; <paramref name="holdSeconds"/> 0 takes the program default (as on the wire).</summary>
    public static ReserveCommand Reserve(string requestId, long points, int holdSeconds = 0) =>
        new(requestId, "S001", "T01", points, holdSeconds == 0 ? null : TimeSpan.FromSeconds(holdSeconds));

    public static CaptureCommand Capture(string requestId, string holdId, long points = 0) =>
        new(requestId, "S001", "T01", holdId, points);

    public static ReleaseCommand Release(string requestId, string holdId) =>
        new(requestId, "S001", "T01", holdId);

    public static RefundCommand Refund(string requestId, string originalRequestId, long amountFen = 0) =>
        new(requestId, "S001", "T02", originalRequestId, amountFen);
}
