using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Puts one hostile value into one field of a request and says what the contract then expects.</summary>
internal static class FieldMutator
{
    public static Mutation? Apply(string rpc, IMessage request, FieldSpec spec, Random random)
    {
        if (MessagePaths.Resolve(request, spec.Path, random) is not { } target)
        {
            return null;
        }

        var (owner, field, path) = target;

        switch (spec.Kind)
        {
            case FieldKind.Number:
            {
                var int32 = field.FieldType == FieldType.Int32;
                var value = HostileNumbers.Pick(random, spec, int32);
                field.Accessor.SetValue(owner, int32 ? (object)(int)value : value);
                return new Mutation($"{path} := {value}", HostileNumbers.Expect(spec, value, path));
            }

            case FieldKind.Flag:
            {
                var value = !(bool)field.Accessor.GetValue(owner);
                field.Accessor.SetValue(owner, value);
                return new Mutation($"{path} := {(value ? "true" : "false")}", Expectation.Any);
            }

            case FieldKind.Bytes:
            {
                var data = new byte[random.Next(6) switch
                {
                    0 => 0,
                    1 => 1,
                    2 => 1024,
                    3 => 64 * 1024,
                    4 => 1 << 20,
                    _ => random.Next(2, 64),
                }];
                random.NextBytes(data);
                field.Accessor.SetValue(owner, ByteString.CopyFrom(data));
                return new Mutation($"{path} := {Show.Bytes(data)}", Expectation.Ok);
            }

            default:
            {
                var (value, attack) = HostileText.Pick(spec, (string)field.Accessor.GetValue(owner), random);
                field.Accessor.SetValue(owner, value);
                return new Mutation($"{path} := {Show.Text(value)} ({attack})", TextContract.Expect(rpc, spec, attack, path));
            }
        }
    }
}
