namespace MemberGrains.Domain.Rules;

/// <summary>The store-local period a per-member use limit counts over. Persisted by number: append only.</summary>
public enum LimitPeriod
{
    /// <summary>A store-local calendar day.</summary>
    Day = 0,

    /// <summary>Monday to Sunday.</summary>
    Week = 1,

    /// <summary>A calendar month.</summary>
    Month = 2,

    /// <summary>A calendar year.</summary>
    Year = 3,

    /// <summary>Ever.</summary>
    Lifetime = 4,
}
