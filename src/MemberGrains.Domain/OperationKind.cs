namespace MemberGrains.Domain;

/// <summary>The POS mutation a receipt answers.</summary>
public enum OperationKind
{
    Enroll,
    Accrue,
    Reserve,
    Capture,
    Release,
    Refund,
    Activity,
    Maintenance,
}
