namespace MemberGrains.Domain.Rules;

/// <summary>The member event that issues a coupon offer's coupon.</summary>
public sealed record OfferTrigger
{
    public required TriggerEvent Event { get; init; }

    /// <summary>activityCount: the activity kind counted.</summary>
    public string? Activity { get; init; }

    /// <summary>activityCount: the coupon is issued when the member's count of the activity reaches this.</summary>
    public int? Count { get; init; }
}
