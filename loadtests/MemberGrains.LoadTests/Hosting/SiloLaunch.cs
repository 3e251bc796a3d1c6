namespace MemberGrains.LoadTests.Hosting;

/// <summary>What a silo for the run needs: its database, extra settings (Key=Value), a cluster id of its own and where to log.</summary>
internal sealed record SiloLaunch(string ConnectionString, IReadOnlyList<string> Settings, string ClusterId, string RunDirectory);
