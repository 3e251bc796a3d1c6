using System.Text.Json.Nodes;
using Google.Rpc;
using Grpc.Core;
using MemberGrains.Domain.Rules;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.IntegrationTests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// membergrains.v1.Admin over real Kestrel, Orleans and Postgres, on a host of its own: the
/// programs published here change no other test's program.
/// </summary>
public sealed class AdminTests(AdminHostFixture fixture) : GrpcTestBase(fixture), IClassFixture<AdminHostFixture>
{
    private Admin.AdminClient AdminClient => fixture.Admin;

    [Fact]
    public async Task PublishProgram_DocumentWithSeveralProblems_InvalidArgumentListingEveryProblem()
    {
        var before = (await AdminClient.ListProgramsAsync(new ListProgramsRequest(), cancellationToken: Ct)).Programs.Count;
        var document = TestPrograms.FlatWith(d =>
        {
            d["timeZone"] = "Mars/Olympus_Mons";
            d["earning"]!["enrollmentBonus"] = -5;
        });

        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await AdminClient.PublishProgramAsync(Publish(document), cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.StartsWith("document_json:", e.Status.Detail, StringComparison.Ordinal);
        var violations = e.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations;
        Assert.Contains(violations, v => v.Field == "timeZone");
        Assert.Contains(violations, v => v.Field == "earning.enrollmentBonus");
        Assert.All(violations, v => Assert.False(string.IsNullOrWhiteSpace(v.Description)));
        Assert.Equal(before, (await AdminClient.ListProgramsAsync(new ListProgramsRequest(), cancellationToken: Ct)).Programs.Count);
    }

    [Fact]
    public async Task PublishProgram_NotJson_InvalidArgumentWithAViolation()
    {
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
            await AdminClient.PublishProgramAsync(Publish("{ \"schema\": 1, "), cancellationToken: Ct));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.NotEmpty(e.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
    }

    [Fact]
    public Task PublishProgram_WithoutPublishedBy_InvalidArgument() =>
        AssertRefusedAsync(
            () => AdminClient.PublishProgramAsync(new PublishProgramRequest { DocumentJson = TestPrograms.FlatJson }, cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "published_by");

    [Fact]
    public Task PublishProgram_EmptyDocument_InvalidArgument() =>
        AssertRefusedAsync(
            () => AdminClient.PublishProgramAsync(new PublishProgramRequest { PublishedBy = "tester" }, cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "document_json");

    [Fact]
    public async Task PublishProgram_ChangedBonusAndRate_GetProgramReturnsItAndTheNextCallsUseIt()
    {
        var document = TestPrograms.FlatWith(d =>
        {
            d["name"] = "Flat, richer";
            d["earning"]!["enrollmentBonus"] = 300;
            d["earning"]!["brackets"]![0]!["pointsPerUnit"] = 2;
        });

        var published = await AdminClient.PublishProgramAsync(Publish(document, note: "welcome 300, 2 points per CNY"), cancellationToken: Ct);

        Assert.True(published.Version > 1);
        var active = await AdminClient.GetProgramAsync(new GetProgramRequest(), cancellationToken: Ct);
        var exact = await AdminClient.GetProgramAsync(new GetProgramRequest { Version = published.Version }, cancellationToken: Ct);
        Assert.Equal(exact, active);
        Assert.Equal(published.Version, active.Version);
        Assert.True(active.Active);
        Assert.Equal(("admin-tests", "welcome 300, 2 points per CNY"), (active.PublishedBy, active.Note));
        Assert.Equal(published.PublishedAt, active.PublishedAt);
        var stored = ProgramJson.Deserialize(active.DocumentJson);
        Assert.Equal(("Flat, richer", 300L, 2m), (stored.Name, stored.Earning.EnrollmentBonus, stored.Earning.Brackets[0].PointsPerUnit));
        var listed = (await AdminClient.ListProgramsAsync(new ListProgramsRequest(), cancellationToken: Ct)).Programs;
        Assert.Equal(published.Version, Assert.Single(listed, p => p.Active).Version);
        Assert.False((await AdminClient.GetProgramAsync(new GetProgramRequest { Version = 1 }, cancellationToken: Ct)).Active);

        var memberId = NewMemberId();
        var enrolled = (await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct)).Receipt;
        var accrued = (await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 10_000), cancellationToken: Ct)).Receipt;

        Assert.Equal((300L, published.Version), (enrolled.Points, enrolled.ProgramVersion));
        Assert.Equal((200L, published.Version), (accrued.Points, accrued.ProgramVersion));
        Assert.Equal(500, accrued.Balance);
    }

    [Fact]
    public Task GetProgram_UnknownVersion_NotFound() =>
        AssertRefusedAsync(
            () => AdminClient.GetProgramAsync(new GetProgramRequest { Version = 9_999 }, cancellationToken: Ct),
            StatusCode.NotFound,
            "version");

    [Fact]
    public async Task ReadEvents_AfterEnrolments_EachEnrolledEventOnceAndTheCursorAdvances()
    {
        var first = NewMemberId();
        var receipt = (await Pos.EnrollMemberAsync(Enroll(first), cancellationToken: Ct)).Receipt;

        var (events, cursor) = await ReadUntilAsync(string.Empty, e => e.MemberId == first);

        var enrolled = Assert.Single(events, e => e.MemberId == first);
        Assert.Equal((1L, "enrolled", receipt.ProgramVersion), (enrolled.Seq, enrolled.Kind, enrolled.ProgramVersion));
        Assert.Equal(receipt.AppliedAt, enrolled.OccurredAt);
        Assert.Equal(receipt.Points.ToString(System.Globalization.CultureInfo.InvariantCulture), enrolled.Data["points"]);
        Assert.NotEqual(string.Empty, cursor);

        var second = NewMemberId();
        await Pos.EnrollMemberAsync(Enroll(second), cancellationToken: Ct);
        var (more, next) = await ReadUntilAsync(cursor, e => e.MemberId == second);

        Assert.DoesNotContain(more, e => e.MemberId == first);
        Assert.Single(more, e => e.MemberId == second);
        Assert.NotEqual(cursor, next);
        var atEnd = await AdminClient.ReadEventsAsync(new ReadEventsRequest { After = next }, cancellationToken: Ct);
        Assert.DoesNotContain(atEnd.Events, e => e.MemberId == first || e.MemberId == second);
    }

    [Fact]
    public Task ReadEvents_NotACursor_InvalidArgument() =>
        AssertRefusedAsync(
            () => AdminClient.ReadEventsAsync(new ReadEventsRequest { After = "not-a-cursor" }, cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "after");

    [Theory]
    [InlineData(-1)]
    [InlineData(1_001)]
    public Task ReadEvents_MaxEventsOutOfRange_InvalidArgument(int maxEvents) =>
        AssertRefusedAsync(
            () => AdminClient.ReadEventsAsync(new ReadEventsRequest { MaxEvents = maxEvents }, cancellationToken: Ct),
            StatusCode.InvalidArgument,
            "max_events");

    private static PublishProgramRequest Publish(string document, string note = "") =>
        new() { DocumentJson = document, PublishedBy = "admin-tests", Note = note };

    /// <summary>
    /// Reads on from <paramref name="after"/> in small pages until an event matching
    /// <paramref name="wanted"/> arrived (an event shows once older transactions on the server
    /// ended, so it may take a moment); returns everything read and the last cursor.
    /// </summary>
    private async Task<(List<Protos.V1.MemberEvent> Events, string Cursor)> ReadUntilAsync(string after, Func<Protos.V1.MemberEvent, bool> wanted)
    {
        var events = new List<Protos.V1.MemberEvent>();
        await Eventually.UntilAsync(
            $"the wanted member event to be readable after cursor '{after}'",
            async () =>
            {
                // Page on while pages come; poll again only after an empty one.
                while (!events.Any(wanted))
                {
                    var page = await AdminClient.ReadEventsAsync(new ReadEventsRequest { After = after, MaxEvents = 3 }, cancellationToken: Ct);
                    events.AddRange(page.Events);
                    if (page.Events.Count == 0)
                    {
                        Assert.Equal(after, page.NextCursor);
                        return false;
                    }

                    after = page.NextCursor;
                }

                return true;
            });

        return (events, after);
    }
}
