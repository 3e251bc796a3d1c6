using System.Globalization;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// The seed of the fuzz runs: fixed by default so a run is repeatable, or set with
/// <c>MEMBERGRAINS_FUZZ_SEED</c> (a number, or <c>random</c> for a fresh one). Each rpc derives its
/// own seed from it, so rerunning one rpc with the printed value repeats exactly its cases.
/// </summary>
internal static class FuzzSeed
{
    public const string EnvironmentVariable = "MEMBERGRAINS_FUZZ_SEED";

    private const int DefaultSeed = 20_260_601;

    /// <summary>The seed this test run uses.</summary>
    public static int Base { get; } = Resolve();

    /// <summary>The seed of one rpc's run (a stable hash of its name mixed into <see cref="Base"/>).</summary>
    public static int For(string rpc)
    {
        var hash = 2_166_136_261u;
        foreach (var c in rpc)
        {
            hash = (hash ^ c) * 16_777_619u;
        }

        return Base ^ (int)hash;
    }

    private static int Resolve()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultSeed;
        }

        return string.Equals(text.Trim(), "random", StringComparison.OrdinalIgnoreCase)
            ? Random.Shared.Next()
            : int.Parse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
    }
}
