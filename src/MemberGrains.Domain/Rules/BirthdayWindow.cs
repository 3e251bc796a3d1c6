namespace MemberGrains.Domain.Rules;

/// <summary>How close to the birthday a birthday offer applies.</summary>
public enum BirthdayWindow
{
    /// <summary>The birthday itself (29 February counts as 28 February in other years).</summary>
    Day,

    /// <summary>Monday to Sunday of the week holding the birthday.</summary>
    Week,

    /// <summary>The birthday's calendar month.</summary>
    Month,
}
