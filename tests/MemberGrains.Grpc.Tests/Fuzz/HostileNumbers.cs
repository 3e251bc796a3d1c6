namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Hostile values for integer fields: zero, ±1, the int32 and int64 extremes, the bounds of the field and just past them.</summary>
internal static class HostileNumbers
{
    private static readonly long[] Edges =
    [
        0, -1, 1, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1, int.MinValue, int.MaxValue,
        (long)int.MaxValue + 1, 1_000_000_000, 1_000_000_001, -1_000_000_000, 3_600, 3_601, 1_000, 1_001,
    ];

    public static long Pick(Random random, FieldSpec spec, bool int32)
    {
        var value = random.Next(6) switch
        {
            0 when spec.Min > long.MinValue => spec.Min - 1,
            1 when spec.Max < long.MaxValue => spec.Max + 1,
            2 => random.NextInt64(-1_000, 1_000),
            _ => Edges[random.Next(Edges.Length)],
        };
        return int32 ? Math.Clamp(value, int.MinValue, int.MaxValue) : value;
    }

    /// <summary>What the contract says about <paramref name="value"/> in the field (at <paramref name="path"/>).</summary>
    public static Expectation Expect(FieldSpec spec, long value, string path)
    {
        if (value >= spec.Min && value <= spec.Max)
        {
            return Expectation.Any;
        }

        var index = path.IndexOf('[', StringComparison.Ordinal) is var open and >= 0 ? path[open..(path.IndexOf(']', StringComparison.Ordinal) + 1)] : "[]";
        return Expectation.Invalid([.. (spec.RefusalFields ?? [path]).Select(f => f.Replace("[]", index, StringComparison.Ordinal))]);
    }
}
