using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Makes one raw-wire case from a valid request's bytes: first every planned variant (invalid UTF-8
/// and a NUL in each string field, unknown fields, a wrong wire type, bad tags and lengths, deep
/// groups, the empty message, a message over the receive limit), then random truncations, random
/// bytes and bit flips. Bytes that don't decode must be INVALID_ARGUMENT; bytes that decode are
/// judged like any request.
/// </summary>
internal static class RawFuzzer
{
    /// <summary>The server's receive limit (documented in the protos).</summary>
    public const int ReceiveLimit = MemberGrains.Silo.SiloHost.MaxRequestBytes;

    private const int UnknownField = 100;

    public static async Task<FuzzCase> NextAsync(IFuzzWorld world, MethodDescriptor method, int index, Random random, CancellationToken ct)
    {
        var baseline = await world.BaselineAsync(method.Name, random, ct);
        var valid = baseline.Request.ToByteArray();
        var plan = Plan(baseline.Request);
        var variant = index < plan.Count ? plan[index](valid, random) : RandomVariant(baseline.Request, valid, random);
        var parsed = Wire.TryParse(method.InputType, variant.Payload);
        var expect = variant.Expect ?? (parsed is null ? Expectation.Invalid() : Expectation.Any);
        return new FuzzCase
        {
            Index = index,
            Label = $"{variant.Label} {Show.Bytes(variant.Payload, 8)}",
            Method = method,
            Payload = variant.Payload,
            Request = parsed,
            Expect = expect,
            Watched = baseline.Watched,
            NewMemberId = baseline.NewMemberId,
            ReadOnly = baseline.ReadOnly,
            Oversized = variant.Oversized,
            Malformed = variant.NotUtf8 || parsed is null,
        };
    }

    /// <summary>The string fields of the request: top-level ones, an appended element of a repeated one, and those of an appended purchase line.</summary>
    private static List<(string Path, Func<byte[], byte[]> Encode)> StringFields(IMessage request)
    {
        var fields = new List<(string, Func<byte[], byte[]>)>();
        foreach (var field in request.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field is { FieldType: FieldType.String, IsRepeated: true })
            {
                // An appended element of a repeated string (coupon_ids): refusals name the element.
                var count = ((System.Collections.IList)field.Accessor.GetValue(request)).Count;
                fields.Add(($"{field.Name}[{count}]", value => Wire.Field(field.FieldNumber, value)));
            }
            else if (field.FieldType == FieldType.String)
            {
                fields.Add((field.Name, value => Wire.Field(field.FieldNumber, value)));
            }
            else if (field is { FieldType: FieldType.Message, IsRepeated: true })
            {
                var count = ((System.Collections.IList)field.Accessor.GetValue(request)).Count;
                foreach (var inner in field.MessageType.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.String))
                {
                    // A new line holding the value, quantity 1 and amount 0: the basket still adds up.
                    fields.Add(($"{field.Name}[{count}].{inner.Name}", value => Wire.Field(field.FieldNumber, [.. Wire.Field(inner.FieldNumber, value), 0x18, 0x01])));
                }
            }
        }

        return fields;
    }

    private static List<Func<byte[], Random, Variant>> Plan(IMessage request)
    {
        var plan = new List<Func<byte[], Random, Variant>>();
        foreach (var (path, encode) in StringFields(request))
        {
            plan.Add((valid, _) => NotUtf8(valid, path, encode, Wire.InvalidUtf8[0]));
            plan.Add((valid, r) => NotUtf8(valid, path, encode, Wire.InvalidUtf8[1 + r.Next(Wire.InvalidUtf8.Count - 1)]));
            if (!path.Contains('[', StringComparison.Ordinal) && path != "document_json")
            {
                plan.Add((valid, _) => new Variant($"{path} holds a NUL byte", [.. valid, .. encode([.. "S0"u8, 0x00, .. "01"u8])], Expectation.Invalid(path)));
            }
        }

        plan.Add((valid, r) => new Variant("unknown fields of every wire type appended", [.. valid, .. Wire.UnknownFields(r)], Expectation.Ok));
        plan.Add((valid, _) => WrongWireType(request, valid));
        plan.Add((valid, _) => new Variant("a tag with field number 0", [0x00, .. valid]));
        plan.Add((valid, _) =>
        {
            var bytes = new List<byte>(valid);
            Wire.Tag(bytes, UnknownField, Wire.LengthDelimited);
            Wire.VarInt(bytes, 1_000);
            bytes.AddRange(new byte[10]);
            return new Variant("a length past the end", [.. bytes]);
        });
        plan.Add((valid, _) =>
        {
            var bytes = new List<byte>(valid);
            Wire.Tag(bytes, UnknownField, Wire.Varint);
            bytes.AddRange(Enumerable.Repeat((byte)0xFF, 10));
            bytes.Add(0x01);
            return new Variant("an 11-byte varint", [.. bytes]);
        });
        plan.Add((valid, _) =>
        {
            var bytes = new List<byte>(valid);
            Wire.Tag(bytes, UnknownField, Wire.LengthDelimited);
            Wire.VarInt(bytes, uint.MaxValue);
            return new Variant("a 4 GB length", [.. bytes]);
        });
        plan.Add((valid, _) =>
        {
            var bytes = new List<byte>(valid);
            for (var i = 0; i < 200; i++)
            {
                Wire.Tag(bytes, UnknownField + 1, Wire.StartGroup);
            }

            for (var i = 0; i < 200; i++)
            {
                Wire.Tag(bytes, UnknownField + 1, Wire.EndGroup);
            }

            return new Variant("unknown groups nested 200 deep", [.. bytes]);
        });
        plan.Add((valid, _) =>
        {
            var bytes = new List<byte>(valid);
            Wire.Tag(bytes, UnknownField + 1, Wire.EndGroup);
            return new Variant("an end-group tag without a start", [.. bytes]);
        });
        plan.Add((_, _) => new Variant("the empty message", []));
        plan.Add((valid, _) => new Variant($"an unknown field making the message {ReceiveLimit + 1024} bytes over the {ReceiveLimit}-byte receive limit", [.. valid, .. Wire.Field(UnknownField + 2, new byte[ReceiveLimit + 1024])], Expectation.Status(StatusCode.ResourceExhausted)) { Oversized = true });
        return plan;
    }

    private static Variant RandomVariant(IMessage request, byte[] valid, Random random)
    {
        switch (random.Next(5))
        {
            case 0 when valid.Length > 1:
            {
                var cut = random.Next(1, valid.Length);
                return new Variant($"cut to {cut} of {valid.Length} bytes", valid[..cut]);
            }

            case 1:
            {
                var bytes = new byte[random.Next(1, 512)];
                random.NextBytes(bytes);
                return new Variant($"{bytes.Length} random bytes", bytes);
            }

            case 2 when valid.Length > 0:
            {
                var bytes = (byte[])valid.Clone();
                var flips = random.Next(1, 4);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return new Variant($"{flips} bit(s) flipped", bytes);
            }

            case 3 when StringFields(request) is { Count: > 0 } fields:
            {
                var (path, encode) = fields[random.Next(fields.Count)];
                return NotUtf8(valid, path, encode, Wire.InvalidUtf8[random.Next(Wire.InvalidUtf8.Count)]);
            }

            default:
            {
                var tail = new byte[random.Next(1, 64)];
                random.NextBytes(tail);
                return new Variant($"{tail.Length} random bytes appended", [.. valid, .. tail]);
            }
        }
    }

    private static Variant NotUtf8(byte[] valid, string path, Func<byte[], byte[]> encode, byte[] bad) =>
        new($"{path} is not UTF-8 ({Show.Bytes(bad)})", [.. valid, .. encode(Wire.NotUtf8(bad))], Expectation.Invalid()) { NotUtf8 = true };

    private static Variant WrongWireType(IMessage request, byte[] valid)
    {
        var first = request.Descriptor.Fields.InFieldNumberOrder().FirstOrDefault();
        if (first is null)
        {
            return new Variant("the empty message", []);
        }

        var bytes = new List<byte>(valid);
        if (first.FieldType is FieldType.String or FieldType.Bytes or FieldType.Message)
        {
            Wire.Tag(bytes, first.FieldNumber, Wire.Varint);
            Wire.VarInt(bytes, 5);
        }
        else
        {
            bytes.AddRange(Wire.Field(first.FieldNumber, Encoding.UTF8.GetBytes("five")));
        }

        return new Variant($"{first.Name} sent with the wrong wire type", [.. bytes]);
    }

    /// <summary>One raw variant; <see cref="Expect"/> null means: INVALID_ARGUMENT if the bytes don't decode, else any well-formed answer.</summary>
    private sealed record Variant(string Label, byte[] Payload, Expectation? Expect = null)
    {
        public bool Oversized { get; init; }

        public bool NotUtf8 { get; init; }
    }
}
