namespace MemberGrains.LoadTests.Drills;

/// <summary>The drills, in the order a run performs them.</summary>
internal static class DrillNames
{
    /// <summary>SIGKILL one silo under load, restart it once the cluster has recovered.</summary>
    public const string Kill9 = "kill9";

    /// <summary>SIGTERM one silo (graceful, as a rolling restart), wait for its exit, restart it; captures go through another silo than their reservation.</summary>
    public const string Sigterm = "sigterm";

    /// <summary>Stop PostgreSQL (<c>pg_ctl stop -m fast</c>) for a while under load, then start it again.</summary>
    public const string Postgres = "postgres";

    /// <summary>Enrolling the members before the drills (no fault).</summary>
    public const string Enrol = "enrol";

    public static readonly IReadOnlyList<string> All = [Kill9, Sigterm, Postgres];
}
