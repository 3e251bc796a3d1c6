namespace MemberGrains.Domain;

/// <summary>Life of a redemption hold: open until captured, released or expired.</summary>
public enum HoldStatus
{
    Open,
    Captured,
    Released,
    Expired,
}
