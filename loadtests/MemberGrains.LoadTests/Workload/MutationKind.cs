namespace MemberGrains.LoadTests.Workload;

/// <summary>The mutations the generator sends, and the ledger row kind each leaves when it moves points.</summary>
internal enum MutationKind
{
    Accrue,
    Reserve,
    Capture,
    Release,
    Refund,
    Activity,

    /// <summary>EnrollMember (the failure drills enrol their members through the API).</summary>
    Enroll,
}
