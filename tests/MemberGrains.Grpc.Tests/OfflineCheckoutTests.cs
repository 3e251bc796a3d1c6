using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>A till sends a checkout it queued while offline, with the time it happened, over the wire.</summary>
[Collection(DefaultProgramCollection.Name)]
public sealed class OfflineCheckoutTests(DefaultProgramHostFixture fixture) : GrpcTestBase(fixture)
{
    [Fact]
    public async Task Accrue_WithOccurredAt_ReceiptAndLedgerCarryBothTimes()
    {
        var memberId = await EnrolledAsync();
        var happened = Now.AddHours(-2);
        var request = Accrue(memberId, NewRequestId("late"), 10_000);
        request.OccurredAt = Timestamp.FromDateTimeOffset(happened);

        var receipt = (await Pos.AccrueAsync(request, cancellationToken: Ct)).Receipt;

        Assert.Equal(happened, receipt.OccurredAt.ToDateTimeOffset());
        Assert.Equal(Now, receipt.AppliedAt.ToDateTimeOffset());
        var occurred = await Db.ScalarAsync<DateTime>(
            "SELECT occurred_at FROM points_ledger WHERE member_id = @m AND request_id = @r", ("m", memberId), ("r", request.RequestId));
        Assert.Equal(happened.UtcDateTime, occurred);
        Assert.True((await Pos.AccrueAsync(request, cancellationToken: Ct)).Receipt.Replayed);
    }

    [Fact]
    public async Task Accrue_OccurredAtAWeekAgo_InvalidArgumentOccurredAtAndUnchanged()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("old"), 10_000);
        request.OccurredAt = Timestamp.FromDateTimeOffset(Now.AddDays(-7));

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "occurred_at");
    }

    [Fact]
    public async Task Accrue_OccurredAtOutsideTheTimestampRange_InvalidArgumentOccurredAt()
    {
        var memberId = await EnrolledAsync();
        var request = Accrue(memberId, NewRequestId("bad"), 10_000);
        request.OccurredAt = new Timestamp { Seconds = long.MaxValue, Nanos = -1 };

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(request, cancellationToken: Ct), StatusCode.InvalidArgument, "occurred_at");
    }
}
