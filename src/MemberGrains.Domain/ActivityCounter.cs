namespace MemberGrains.Domain;

/// <summary>How often a member has done one kind of activity: today (store-local) and ever.</summary>
public sealed class ActivityCounter
{
    public DateOnly Day { get; set; }

    public int CountOnDay { get; set; }

    public int Total { get; set; }
}
