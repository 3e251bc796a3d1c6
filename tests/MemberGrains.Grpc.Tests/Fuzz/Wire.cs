using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Protobuf wire encoding written by hand, for bytes no generated message would produce.</summary>
internal static class Wire
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int StartGroup = 3;
    public const int EndGroup = 4;
    public const int Fixed32 = 5;

    /// <summary>The largest field number protobuf allows.</summary>
    public const int MaxFieldNumber = (1 << 29) - 1;

    /// <summary>Byte sequences that are not UTF-8: a broken two-byte sequence (0xC3 0x28), an encoded surrogate, an overlong NUL, 0xFF, a cut-off 生, a code point above U+10FFFF, a lone continuation byte.</summary>
    public static IReadOnlyList<byte[]> InvalidUtf8 { get; } =
        [[0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0x80], [0xFF], [0xE4, 0xB8], [0xF4, 0x90, 0x80, 0x80], [0x80]];

    /// <summary>The canonical upper-case name of a status code (INVALID_ARGUMENT).</summary>
    public static string StatusName(StatusCode code)
    {
        if (code == StatusCode.OK)
        {
            return "OK";
        }

        var name = code.ToString();
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
            {
                text.Append('_');
            }

            text.Append(char.ToUpperInvariant(name[i]));
        }

        return text.ToString();
    }

    public static void Tag(List<byte> bytes, int field, int wireType) => VarInt(bytes, ((ulong)(uint)field << 3) | (uint)wireType);

    public static void VarInt(List<byte> bytes, ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }

        bytes.Add((byte)value);
    }

    /// <summary>A length-delimited field (string, bytes or message).</summary>
    public static byte[] Field(int field, ReadOnlySpan<byte> value)
    {
        var bytes = new List<byte>(value.Length + 8);
        Tag(bytes, field, LengthDelimited);
        VarInt(bytes, (ulong)value.Length);
        bytes.AddRange(value);
        return [.. bytes];
    }

    /// <summary>"S0" + <paramref name="bad"/> + "01": a string field value that is not UTF-8.</summary>
    public static byte[] NotUtf8(ReadOnlySpan<byte> bad) => [.. "S0"u8, .. bad, .. "01"u8];

    /// <summary>Fields no request defines, of every wire type; a parser must skip them.</summary>
    public static byte[] UnknownFields(Random random)
    {
        var bytes = new List<byte>();
        Tag(bytes, 1_000, Varint);
        // An enum number no enum defines, as a client with a newer .proto might send.
        VarInt(bytes, random.Next(2) == 0 ? ulong.MaxValue : (ulong)random.NextInt64(1_000, long.MaxValue));
        var blob = new byte[random.Next(1, 64)];
        random.NextBytes(blob);
        bytes.AddRange(Field(12_345, blob));
        Tag(bytes, 2_047, Fixed32);
        bytes.AddRange(BitConverter.GetBytes(random.Next()));
        Tag(bytes, MaxFieldNumber, Fixed64);
        bytes.AddRange(BitConverter.GetBytes(random.NextInt64()));
        Tag(bytes, 77, StartGroup);
        Tag(bytes, 1, Varint);
        VarInt(bytes, 42);
        Tag(bytes, 77, EndGroup);
        return [.. bytes];
    }

    /// <summary>The message the bytes decode to, or null when they are not a valid message of that type.</summary>
    public static IMessage? TryParse(MessageDescriptor type, byte[] bytes)
    {
        try
        {
            return type.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 when the runtime decodes strings strictly (DecoderFallbackException).
            return null;
        }
    }

    /// <summary>The message's string field at a top-level name, or null.</summary>
    public static string? Text(IMessage? message, string field) =>
        message?.Descriptor.FindFieldByName(field) is { FieldType: FieldType.String } descriptor
            ? (string)descriptor.Accessor.GetValue(message)
            : null;
}
