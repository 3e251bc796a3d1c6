using MemberGrains.Abstractions;

namespace MemberGrains.IntegrationTests.Infrastructure;

/// <summary>Request builders with sensible till defaults.</summary>
public static class Make
{
    public static string MemberId() => $"m-{Guid.NewGuid():N}";

    public static EnrollRequest Enroll(string? requestId = null) => new() { RequestId = requestId ?? $"enroll-{Guid.NewGuid():N}" };

    public static AccrueRequest Accrue(string requestId, long totalFen) => new()
    {
        RequestId = requestId,
        StoreId = "S001",
        TerminalId = "T01",
        TotalFen = totalFen,
        Lines = [new PurchaseLineItem { Sku = "SKU-1", Category = "grocery", Quantity = 1, AmountFen = totalFen }],
    };

    public static ReserveRequest Reserve(string requestId, long points, int holdSeconds = 0) =>
        new() { RequestId = requestId, StoreId = "S001", TerminalId = "T01", Points = points, HoldSeconds = holdSeconds };

    public static CaptureRequest Capture(string requestId, string holdId, long points = 0) =>
        new() { RequestId = requestId, StoreId = "S001", TerminalId = "T01", HoldId = holdId, Points = points };

    public static ReleaseRequest Release(string requestId, string holdId) =>
        new() { RequestId = requestId, StoreId = "S001", TerminalId = "T01", HoldId = holdId };

    public static RefundRequest Refund(string requestId, string originalRequestId, long amountFen = 0) =>
        new() { RequestId = requestId, StoreId = "S001", TerminalId = "T02", OriginalRequestId = originalRequestId, AmountFen = amountFen };
}
