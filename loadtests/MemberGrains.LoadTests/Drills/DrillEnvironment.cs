using MemberGrains.LoadTests.Hosting;
using MemberGrains.LoadTests.Measurement;

namespace MemberGrains.LoadTests.Drills;

/// <summary>What every drill works with: the run's Postgres, the cluster and its clients, the load, the options, the console.</summary>
internal sealed record DrillEnvironment(
    DrillOptions Options,
    RunDatabase Database,
    SiloCluster Cluster,
    string ClusterId,
    DrillClients Clients,
    DrillLoad Load,
    ConsoleProgress Progress);
