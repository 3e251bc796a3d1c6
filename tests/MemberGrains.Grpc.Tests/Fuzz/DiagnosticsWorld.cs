using Google.Protobuf;
using Google.Protobuf.Reflection;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// membergrains.v1.Diagnostics for the fuzzer: Ping with payloads of every size up to 1 MB (which
/// must come back unchanged), PingMember with hostile and unknown member numbers (an enrolled
/// member answers its committed version), and GetSiloStats (with a full collection now and then).
/// </summary>
internal sealed class DiagnosticsWorld(PointOfSale.PointOfSaleClient pos) : IFuzzWorld
{
    private string? _member;

    public ServiceDescriptor Service => Diagnostics.Descriptor;

    public IReadOnlyList<FieldSpec> Fields(string rpc) => rpc switch
    {
        "Ping" => [FieldSpec.Bytes("payload")],
        "PingMember" => [FieldSpec.Text("member_id", FieldKind.MemberId, true, FieldSpec.MemberIdLength)],
        _ => [],
    };

    public IReadOnlyList<Func<Baseline, Random, Mutation?>> SoloMutations(string rpc) => rpc switch
    {
        "Ping" => [UnknownFields],
        "PingMember" => [UnknownFields, UnknownMember],
        _ => [UnknownFields, UnknownFields, FullGc],
    };

    public async Task<Baseline> BaselineAsync(string rpc, Random random, CancellationToken ct)
    {
        IMessage request = rpc switch
        {
            "Ping" => new PingRequest { Payload = ByteString.CopyFrom(RandomBytes(random, random.Next(0, 33))) },
            "PingMember" => new PingMemberRequest { MemberId = await MemberAsync(ct) },
            "GetSiloStats" => new SiloStatsRequest(),
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not a Diagnostics rpc."),
        };
        return new Baseline(request, [], ReadOnly: true);
    }

    public Task VerifyAsync(FuzzCase fuzzCase, CallOutcome outcome, Action<string> fail, CancellationToken ct)
    {
        if (outcome.IsOk && fuzzCase.Request is PingRequest ping)
        {
            var reply = PingReply.Parser.ParseFrom(outcome.Reply);
            if (reply.Payload != ping.Payload)
            {
                fail($"Ping answered {reply.Payload.Length} bytes for a payload of {ping.Payload.Length}: not the payload");
            }
        }

        if (outcome.IsOk && fuzzCase.Request is PingMemberRequest pingMember)
        {
            // The world's member has made no change since enrolment; another member number the
            // fuzzer sent may belong to a member other tests enrolled: any committed version.
            var reply = PingMemberReply.Parser.ParseFrom(outcome.Reply);
            var expected = pingMember.MemberId == _member ? reply.Version == 1 : reply.Version >= 1;
            if (!expected)
            {
                fail($"PingMember answered version {reply.Version} for {pingMember.MemberId} (the world's member is {_member}, at version 1)");
            }
        }

        return Task.CompletedTask;
    }

    private async Task<string> MemberAsync(CancellationToken ct)
    {
        if (_member is null)
        {
            var id = $"fz-{Guid.NewGuid():N}";
            await pos.EnrollMemberAsync(new EnrollMemberRequest { MemberId = id, RequestId = $"enroll-{Guid.NewGuid():N}" }, cancellationToken: ct);
            _member = id;
        }

        return _member;
    }

    private static Mutation? UnknownMember(Baseline baseline, Random random)
    {
        var id = $"fz-{Guid.NewGuid():N}";
        ((PingMemberRequest)baseline.Request).MemberId = id;
        return new Mutation($"member_id := {id} (never enrolled)", Expectation.NotFound("member_id"));
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static Mutation? UnknownFields(Baseline baseline, Random random) =>
        new("unknown fields of every wire type appended", Expectation.Ok, [.. baseline.Request.ToByteArray(), .. Wire.UnknownFields(random)]);

    // A full blocking collection pauses the silo: only now and then.
    private static Mutation? FullGc(Baseline baseline, Random random)
    {
        if (random.Next(10) != 0)
        {
            return null;
        }

        ((SiloStatsRequest)baseline.Request).FullGc = true;
        return new Mutation("full_gc := true", Expectation.Ok);
    }
}
