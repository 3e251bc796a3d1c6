using Grpc.Core;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Makes one case: a valid request with one change that needs the service's state, or with one to
/// three hostile field values. A single change is judged by exactly what the contract says about
/// it; several together only by whether one of them must be refused.
/// </summary>
internal static class RequestFuzzer
{
    private const double SoloShare = 0.3;

    public static async Task<FuzzCase> NextAsync(IFuzzWorld world, MethodDescriptor method, int index, Random random, CancellationToken ct)
    {
        var baseline = await world.BaselineAsync(method.Name, random, ct);
        var request = baseline.Request;
        var fields = world.Fields(method.Name);
        var solos = world.SoloMutations(method.Name);
        var applied = new List<Mutation>();
        if (solos.Count > 0 && (fields.Count == 0 || random.NextDouble() < SoloShare))
        {
            for (var attempt = 0; attempt < 8 && applied.Count == 0; attempt++)
            {
                if (solos[random.Next(solos.Count)](baseline, random) is { } solo)
                {
                    applied.Add(solo);
                }
            }
        }

        if (applied.Count == 0 && fields.Count > 0)
        {
            var count = random.NextDouble() < 0.6 ? 1 : random.Next(2, 4);
            foreach (var spec in fields.OrderBy(_ => random.Next()).Take(count).ToList())
            {
                if (FieldMutator.Apply(method.Name, request, spec, random) is { } mutation)
                {
                    applied.Add(mutation);
                }
            }
        }

        var replacement = applied.LastOrDefault(m => m.Payload is not null)?.Payload;
        var payload = replacement ?? request.ToByteArray();
        // A message over the server's receive limit is refused before anything in it is read.
        var oversized = payload.Length > RawFuzzer.ReceiveLimit;
        return new FuzzCase
        {
            Oversized = oversized,
            Index = index,
            Label = applied.Count == 0 ? "the valid request" : string.Join("; ", applied.Select(m => m.Label)),
            Method = method,
            Payload = payload,
            Request = replacement is null ? request : Wire.TryParse(method.InputType, replacement),
            Expect = oversized ? Expectation.Status(StatusCode.ResourceExhausted)
                : applied.Count == 0 ? Expectation.Ok : Expectation.Combine([.. applied.Select(m => m.Expect)]),
            Watched = [.. baseline.Watched.Concat(applied.SelectMany(m => m.AlsoWatched ?? [])).Distinct()],
            NewMemberId = baseline.NewMemberId,
            ReadOnly = baseline.ReadOnly || applied.Any(m => m.ReadOnly),
        };
    }
}
