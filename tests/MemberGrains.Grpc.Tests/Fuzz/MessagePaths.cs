using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Finds the field a <see cref="FieldSpec"/> path names inside a request instance.</summary>
internal static class MessagePaths
{
    /// <summary>
    /// The message holding the field, the field, and its concrete path (<c>lines[].sku</c> becomes
    /// <c>lines[2].sku</c> for a randomly chosen line); null when the request has no such element.
    /// </summary>
    public static (IMessage Owner, FieldDescriptor Field, string Path)? Resolve(IMessage root, string path, Random random)
    {
        var parts = path.Split('.');
        var owner = root;
        var concrete = new List<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            var each = parts[i].EndsWith("[]", StringComparison.Ordinal);
            var name = each ? parts[i][..^2] : parts[i];
            var field = owner.Descriptor.FindFieldByName(name)
                ?? throw new InvalidOperationException($"{owner.Descriptor.Name} has no field {name}.");
            if (i == parts.Length - 1)
            {
                concrete.Add(name);
                return (owner, field, string.Join('.', concrete));
            }

            if (each)
            {
                var list = (IList)field.Accessor.GetValue(owner);
                if (list.Count == 0)
                {
                    return null;
                }

                var index = random.Next(list.Count);
                owner = (IMessage)list[index]!;
                concrete.Add($"{name}[{index}]");
            }
            else
            {
                owner = (IMessage)field.Accessor.GetValue(owner);
                concrete.Add(name);
            }
        }

        return null;
    }
}
