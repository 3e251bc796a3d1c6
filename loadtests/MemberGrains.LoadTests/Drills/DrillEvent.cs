namespace MemberGrains.LoadTests.Drills;

/// <summary>Something a drill did to the cluster (a kill, a restart, Postgres stopped …) and when (Stopwatch timestamp).</summary>
internal sealed record DrillEvent(string Name, long At);
