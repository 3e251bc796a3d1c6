namespace MemberGrains.Domain;

/// <summary>Activities of one kind on one store-local day.</summary>
public sealed class ActivityDay
{
    public DateOnly Day { get; set; }

    public int Count { get; set; }
}
