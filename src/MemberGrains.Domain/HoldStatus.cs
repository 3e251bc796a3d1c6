namespace MemberGrains.Domain;

/// <summary>Life of a redemption hold: open until captured, released or expired. Stored by number in the member state: never renumber.</summary>
public enum HoldStatus
{
    Open = 0,
    Captured = 1,
    Released = 2,
    Expired = 3,
}
