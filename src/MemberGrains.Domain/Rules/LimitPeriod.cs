namespace MemberGrains.Domain.Rules;

/// <summary>The store-local period a per-member use limit counts over. Persisted by number: append only.</summary>
public enum LimitPeriod
{
    /// <summary>A store-local calendar day.</summary>
    Day,

    /// <summary>Monday to Sunday.</summary>
    Week,

    /// <summary>A calendar month.</summary>
    Month,

    /// <summary>A calendar year.</summary>
    Year,

    /// <summary>Ever.</summary>
    Lifetime,
}
