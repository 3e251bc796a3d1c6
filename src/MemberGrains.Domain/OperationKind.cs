namespace MemberGrains.Domain;

/// <summary>The POS mutation a receipt answers. Stored by number in the member state: never renumber.</summary>
public enum OperationKind
{
    Enroll = 0,
    Accrue = 1,
    Reserve = 2,
    Capture = 3,
    Release = 4,
    Refund = 5,
    Activity = 6,
    Maintenance = 7,
}
