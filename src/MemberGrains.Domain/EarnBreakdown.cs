using System.Text.Json.Serialization;

namespace MemberGrains.Domain;

/// <summary>How a purchase's points were computed, for receipts, quotes and support.</summary>
/// <param name="EligibleFen">Spend that earned (the basket, up to the room left under the daily cap).</param>
/// <param name="PointsPerUnit">Rate of the bracket the eligible spend fell in.</param>
/// <param name="TierMultiplier">Multiplier of the member's tier.</param>
/// <param name="BirthdayMultiplier">Birthday multiplier (1 outside the birthday period).</param>
/// <param name="Campaigns">Campaigns that multiplied at least one line.</param>
/// <param name="RatePoints">Points from the rate, after every multiplier.</param>
/// <param name="BonusPoints">Threshold bonus (never multiplied).</param>
/// <param name="CapReached">True when this purchase reached the daily cap.</param>
public sealed record EarnBreakdown(
    [property: JsonPropertyName("eligibleFen")] long EligibleFen,
    [property: JsonPropertyName("pointsPerUnit")] decimal PointsPerUnit,
    [property: JsonPropertyName("tierMultiplier")] decimal TierMultiplier,
    [property: JsonPropertyName("birthdayMultiplier")] decimal BirthdayMultiplier,
    [property: JsonPropertyName("campaigns")] IReadOnlyList<string> Campaigns,
    [property: JsonPropertyName("ratePoints")] long RatePoints,
    [property: JsonPropertyName("bonusPoints")] long BonusPoints,
    [property: JsonPropertyName("capReached")] bool CapReached)
{
    /// <summary>Total points earned.</summary>
    [JsonPropertyName("points")]
    public long Points => RatePoints + BonusPoints;
}
