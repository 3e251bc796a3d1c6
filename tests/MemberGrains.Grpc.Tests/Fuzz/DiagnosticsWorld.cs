using Google.Protobuf;
using Google.Protobuf.Reflection;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// membergrains.v1.Diagnostics for the fuzzer: Ping with payloads of every size up to 1 MB (which
/// must come back unchanged), and GetSiloStats (with a full collection now and then).
/// </summary>
internal sealed class DiagnosticsWorld : IFuzzWorld
{
    public ServiceDescriptor Service => Diagnostics.Descriptor;

    public IReadOnlyList<FieldSpec> Fields(string rpc) => rpc == "Ping" ? [FieldSpec.Bytes("payload")] : [];

    public IReadOnlyList<Func<Baseline, Random, Mutation?>> SoloMutations(string rpc) =>
        rpc == "Ping" ? [UnknownFields] : [UnknownFields, UnknownFields, FullGc];

    public Task<Baseline> BaselineAsync(string rpc, Random random, CancellationToken ct)
    {
        IMessage request = rpc switch
        {
            "Ping" => new PingRequest { Payload = ByteString.CopyFrom(RandomBytes(random, random.Next(0, 33))) },
            "GetSiloStats" => new SiloStatsRequest(),
            _ => throw new ArgumentOutOfRangeException(nameof(rpc), rpc, "Not a Diagnostics rpc."),
        };
        return Task.FromResult(new Baseline(request, [], ReadOnly: true));
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

        return Task.CompletedTask;
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
