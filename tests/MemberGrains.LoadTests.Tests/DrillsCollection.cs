namespace MemberGrains.LoadTests.Tests;

/// <summary>The drills run alone: three silos and Postgres already fill a 2-core machine, and their timings are part of what they report.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DrillsCollection
{
    public const string Name = "drills";
}
