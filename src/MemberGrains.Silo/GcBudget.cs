namespace MemberGrains.Silo;

/// <summary>
/// The garbage collector's gen0 budget: how much a process allocates between two gen0 collections.
/// The runtime sizes it from the CPU's last-level cache; a virtual machine that reports no cache
/// size (as this project's 2-core machines do: <c>lscpu</c> lists none) gets a budget of a few MB,
/// so a silo serving reads collects dozens of times a second, and with a million members resident
/// each collection also walks what the members' grains touched. The budget can only be set before
/// the runtime starts, by the environment variable <see cref="Variable"/> (runtimeconfig knobs for
/// it are not read); <c>launchSettings.json</c>, the Dockerfile and the load test's child silo set
/// it to <see cref="Recommended"/>. Measured in docs/benchmarks.md (item 15).
/// </summary>
public static class GcBudget
{
    /// <summary>The runtime's variable for the gen0 budget (bytes, hexadecimal).</summary>
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>256 MiB, the value measured.</summary>
    public const string Recommended = "0x10000000";

    /// <summary>The value this process started with; empty when unset (the runtime's own budget).</summary>
    public static string Current => Environment.GetEnvironmentVariable(Variable) ?? string.Empty;

    /// <summary>For logs and reports: <c>DOTNET_GCgen0size=0x10000000</c>, or that it is unset.</summary>
    public static string Describe() => Current.Length > 0 ? $"{Variable}={Current}" : $"{Variable} unset (the runtime's default)";
}
