using Google.Protobuf;
using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>The Diagnostics service: the empty call and the silo's own figures.</summary>
[Collection(GrpcCollection.Name)]
public sealed class DiagnosticsTests(GrpcHostFixture fixture) : GrpcTestBase(fixture)
{
    private Diagnostics.DiagnosticsClient Diagnostics => new(Fixture.Channel);

    [Fact]
    public async Task Ping_Empty_Answers()
    {
        var reply = await Diagnostics.PingAsync(new PingRequest(), cancellationToken: Ct);

        Assert.True(reply.Payload.IsEmpty);
    }

    [Fact]
    public async Task Ping_Payload_EchoedBack()
    {
        var payload = ByteString.CopyFromUtf8("till-7");

        var reply = await Diagnostics.PingAsync(new PingRequest { Payload = payload }, cancellationToken: Ct);

        Assert.Equal(payload, reply.Payload);
    }

    [Fact]
    public async Task PingMember_EnrolledMember_AnswersItsCommittedVersion()
    {
        var memberId = await EnrolledAsync();
        var enrolled = await Diagnostics.PingMemberAsync(new PingMemberRequest { MemberId = memberId }, cancellationToken: Ct);

        await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 12_000), cancellationToken: Ct);
        var afterPurchase = await Diagnostics.PingMemberAsync(new PingMemberRequest { MemberId = memberId }, cancellationToken: Ct);

        Assert.Equal(1, enrolled.Version);
        Assert.Equal(enrolled.Version + 1, afterPurchase.Version);
    }

    [Fact]
    public async Task PingMember_UnknownMember_NotFound() =>
        await AssertRefusedAsync(
            () => Diagnostics.PingMemberAsync(new PingMemberRequest { MemberId = NewMemberId() }, cancellationToken: Ct),
            StatusCode.NotFound,
            "member_id");

    [Theory]
    [InlineData("")]
    [InlineData("m\u0007bell")]
    public async Task PingMember_BadMemberNumber_InvalidArgument(string memberId) =>
        await AssertRefusedAsync(
            () => Diagnostics.PingMemberAsync(new PingMemberRequest { MemberId = System.Text.RegularExpressions.Regex.Unescape(memberId) }, cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "member_id");

    [Fact]
    public async Task GetSiloStats_AfterMembersActivated_PlausibleFigures()
    {
        var memberId = await EnrolledAsync(1_000);

        var stats = await Diagnostics.GetSiloStatsAsync(new SiloStatsRequest { FullGc = true }, cancellationToken: Ct);

        Assert.True(stats.ManagedBytes > 1_000_000, $"managed_bytes {stats.ManagedBytes}");
        Assert.True(stats.HeapSizeBytes > 0, $"heap_size_bytes {stats.HeapSizeBytes}");
        Assert.True(stats.WorkingSetBytes >= stats.ManagedBytes / 2, $"working_set_bytes {stats.WorkingSetBytes}");
        // full_gc collected at least once, so every generation has been collected.
        Assert.True(stats.Gen2Collections > 0, $"gen2 {stats.Gen2Collections}");
        Assert.True(stats.Gen0Collections >= stats.Gen1Collections && stats.Gen1Collections >= stats.Gen2Collections);
        Assert.True(stats.TotalPauseMs > 0, $"total_pause_ms {stats.TotalPauseMs}");
        Assert.True(stats.MemberActivations >= 1, $"member_activations {stats.MemberActivations} after using {memberId}");
        Assert.True(stats.TotalActivations >= stats.MemberActivations);
        Assert.True(stats.Uptime.ToTimeSpan() > TimeSpan.Zero);
        Assert.True(stats.CpuTimeMs > 0);
    }
}
