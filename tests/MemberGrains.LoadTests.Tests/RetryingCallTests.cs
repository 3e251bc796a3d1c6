using Grpc.Core;
using MemberGrains.LoadTests.Drills;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Tests;

/// <summary>
/// How the drills' callers send a request: the same request again on the next silo after anything
/// but a definite refusal; a refusal ends it (the caller then books a wrong answer). No network:
/// the calls are answered by the test.
/// </summary>
public sealed class RetryingCallTests : IDisposable
{
    private readonly DrillClients _clients = new([new Uri("http://127.0.0.1:1"), new Uri("http://127.0.0.1:2"), new Uri("http://127.0.0.1:3")], TimeSpan.FromSeconds(5), Workload.LoadKeys.Given("no key needed: nothing is sent"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsync_UnavailableTwiceThenOk_SameRequestOnTheNextSilos()
    {
        var stats = new DrillStats("test", 0, members: 1);
        var request = new AccrueRequest { MemberId = "m1", RequestId = "a1", TotalFen = 100 };
        var sent = new List<(PointOfSale.PointOfSaleClient Client, AccrueRequest Request)>();

        var outcome = await RetryingCall.RunAsync(_clients, stats, 0, "Accrue", 1, TimeSpan.FromSeconds(30), new Random(1), (client, _) =>
        {
            sent.Add((client, request));
            return sent.Count < 3 ? Fails<AccrueResponse>(StatusCode.Unavailable) : Answers(new AccrueResponse { Receipt = new Receipt { Points = 1 } });
        }, Ct);

        Assert.Equal(CallVerdict.Ok, outcome.Verdict);
        Assert.Equal(3, outcome.Attempts);
        Assert.Equal(0, outcome.Silo);
        Assert.Equal([_clients.Pos(1), _clients.Pos(2), _clients.Pos(0)], sent.Select(s => s.Client));
        Assert.All(sent, s => Assert.Same(request, s.Request));
        Assert.Equal(2, stats.Statuses[("Accrue", StatusCode.Unavailable)]);
        Assert.Equal(1, stats.Statuses[("Accrue", StatusCode.OK)]);
        Assert.Single(stats.Recovery.Samples);
    }

    [Theory]
    [InlineData(StatusCode.FailedPrecondition)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.AlreadyExists)]
    [InlineData(StatusCode.InvalidArgument)]
    public async Task RunAsync_Refusal_EndsWithoutRetry(StatusCode refusal)
    {
        var stats = new DrillStats("test", 0, members: 1);
        var attempts = 0;

        var outcome = await RetryingCall.RunAsync(_clients, stats, 0, "CaptureRedemption", 0, TimeSpan.FromSeconds(30), new Random(1), (_, _) =>
        {
            attempts++;
            return Fails<CaptureRedemptionResponse>(refusal, "hold_id: No hold 'H1-x' for this member.");
        }, Ct);

        Assert.Equal(CallVerdict.Refused, outcome.Verdict);
        Assert.Equal(1, attempts);
        Assert.Equal(refusal, outcome.Code);
        Assert.Equal("hold_id: No hold 'H1-x' for this member.", outcome.Detail);
        Assert.Equal(0, stats.InternalErrors);
    }

    [Theory]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Unknown)]
    public async Task RunAsync_InternalThenOk_RetriedAndCountedAsInternalError(StatusCode failure)
    {
        var stats = new DrillStats("test", 0, members: 1);
        var attempts = 0;

        var outcome = await RetryingCall.RunAsync(_clients, stats, 0, "Refund", 0, TimeSpan.FromSeconds(30), new Random(1), (_, _) =>
            ++attempts == 1 ? Fails<RefundResponse>(failure) : Answers(new RefundResponse()), Ct);

        Assert.Equal(CallVerdict.Ok, outcome.Verdict);
        Assert.Equal(2, attempts);
        Assert.Equal(1, stats.InternalErrors);
    }

    [Fact]
    public async Task RunAsync_FailingPastTheBound_GivesUp()
    {
        var stats = new DrillStats("test", 0, members: 1);

        var outcome = await RetryingCall.RunAsync(_clients, stats, 0, "Accrue", 0, TimeSpan.Zero, new Random(1), (_, _) => Fails<AccrueResponse>(StatusCode.DeadlineExceeded), Ct);

        Assert.Equal(CallVerdict.GaveUp, outcome.Verdict);
        Assert.Equal(StatusCode.DeadlineExceeded, outcome.Code);
        Assert.Equal(1, stats.Recovery.Open());
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, false)]
    [InlineData(StatusCode.DeadlineExceeded, false)]
    [InlineData(StatusCode.Cancelled, false)]
    [InlineData(StatusCode.Internal, false)]
    [InlineData(StatusCode.Unknown, false)]
    [InlineData(StatusCode.Aborted, false)]
    [InlineData(StatusCode.InvalidArgument, true)]
    [InlineData(StatusCode.NotFound, true)]
    [InlineData(StatusCode.FailedPrecondition, true)]
    [InlineData(StatusCode.AlreadyExists, true)]
    public void IsRefusal_StatusCode_OnlyDefiniteAnswers(StatusCode code, bool refusal) => Assert.Equal(refusal, RetryPolicy.IsRefusal(code));

    public void Dispose() => _clients.Dispose();

    private static AsyncUnaryCall<T> Answers<T>(T reply) =>
        new(Task.FromResult(reply), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    private static AsyncUnaryCall<T> Fails<T>(StatusCode code, string detail = "test failure")
    {
        var status = new Status(code, detail);
        return new AsyncUnaryCall<T>(Task.FromException<T>(new RpcException(status)), Task.FromResult(new Metadata()), () => status, () => [], () => { });
    }
}
