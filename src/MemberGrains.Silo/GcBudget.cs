namespace MemberGrains.Silo;

/// <summary>
/// The garbage collector's gen0 budget: how much a process allocates between two gen0 collections.
/// The runtime sizes it from the CPU's last-level cache; a virtual machine that reports no cache
/// size (as this project's 2-core machines do: <c>lscpu</c> lists none) gets a budget of a few MB.
/// It can only be set before the runtime starts, by the environment variable <see cref="Variable"/>
/// (the runtimeconfig knobs for it are not read). A 256 MiB budget was measured against the
/// runtime's own in five runs without a clear effect (docs/benchmarks.md, item 17), so the silo
/// runs with the runtime's; it logs the budget at start and <c>GetSiloStats</c> reports it, so a
/// run with another one says so.
/// </summary>
public static class GcBudget
{
    /// <summary>The runtime's variable for the gen0 budget (bytes, hexadecimal).</summary>
    public const string Variable = "DOTNET_GCgen0size";

    /// <summary>The value this process started with; empty when unset (the runtime's own budget).</summary>
    public static string Current => Environment.GetEnvironmentVariable(Variable) ?? string.Empty;

    /// <summary>For logs and reports: <c>DOTNET_GCgen0size=0x10000000</c>, or that it is unset.</summary>
    public static string Describe() => Current.Length > 0 ? $"{Variable}={Current}" : $"{Variable} unset (the runtime's default)";
}
