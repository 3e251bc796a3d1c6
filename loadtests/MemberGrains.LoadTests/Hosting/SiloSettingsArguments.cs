namespace MemberGrains.LoadTests.Hosting;

/// <summary>Turns <c>--silo-config Key=Value</c> pairs into the silo's configuration.</summary>
internal static class SiloSettingsArguments
{
    /// <summary>Splits "Key=Value" (the key may use ':' or '__' as separator); throws on a malformed pair.</summary>
    public static (string Key, string Value) Parse(string pair)
    {
        var at = pair.IndexOf('=', StringComparison.Ordinal);
        if (at <= 0)
        {
            throw new ArgumentException($"--silo-config takes Key=Value (e.g. MemberGrains:Store:Writers=4), not '{pair}'.", nameof(pair));
        }

        return (pair[..at].Trim().Replace("__", ":", StringComparison.Ordinal), pair[(at + 1)..]);
    }

    /// <summary>
    /// Settings the load test gives every silo besides its ports and database (the user's
    /// --silo-config wins): Polly logs each grain placement at Information, two lines per
    /// activation, which would cost the silo more than the activation itself; the store screen's
    /// HTTP endpoint takes a free port.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel:Polly"] = "Error",
        ["MemberGrains:HttpPort"] = "0",
    };

    /// <summary>The settings every load-test silo gets, then the user's (which win).</summary>
    public static Dictionary<string, string?> For(SiloLaunch launch, int grpcPort, int siloPort, int gatewayPort)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:MemberGrains"] = launch.ConnectionString,
            ["MemberGrains:GrpcHost"] = "127.0.0.1",
            ["MemberGrains:GrpcPort"] = grpcPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MemberGrains:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MemberGrains:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MemberGrains:ClusterId"] = launch.ClusterId,
            ["MemberGrains:ServiceId"] = launch.ClusterId,
        };
        foreach (var (key, value) in Defaults)
        {
            settings[key] = value;
        }

        foreach (var pair in launch.Settings)
        {
            var (key, value) = Parse(pair);
            settings[key] = value;
        }

        return settings;
    }
}
