using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>Reason codes of offers that don't apply, and the codes screens show for reasons and kinds. Never rename.</summary>
public static class OfferCodes
{
    /// <summary>A targeting condition (tier, store, days since enrolment, segment, lifecycle, risk flags, birthday, affinity) does not hold.</summary>
    public const string NotTargeted = "NOT_TARGETED";

    /// <summary>Before the offer's first day (or the coupon's issue).</summary>
    public const string NotStarted = "NOT_STARTED";

    /// <summary>After its last day, past its days after enrolment, or the coupon expired.</summary>
    public const string Expired = "EXPIRED";

    /// <summary>Not one of its weekdays, days of the month or hours.</summary>
    public const string OutsideTimeWindow = "OUTSIDE_TIME_WINDOW";

    /// <summary>The member used it as often as the period allows.</summary>
    public const string LimitReached = "LIMIT_REACHED";

    /// <summary>The campaign budget can't pay for it.</summary>
    public const string BudgetExhausted = "BUDGET_EXHAUSTED";

    /// <summary>The basket does not hold what the offer needs.</summary>
    public const string BasketCondition = "BASKET_CONDITION";

    /// <summary>A personalised offer, and the member did not consent to personalisation.</summary>
    public const string NoConsent = "NO_CONSENT";

    /// <summary>Another offer applies instead (an exclusive one, or a more valuable best-of one).</summary>
    public const string ExcludedByStacking = "EXCLUDED_BY_STACKING";

    /// <summary>The presented coupon is not in the member's wallet.</summary>
    public const string CouponNotHeld = "COUPON_NOT_HELD";

    /// <summary>The presented coupon was already used.</summary>
    public const string CouponUsed = "COUPON_USED";

    /// <summary>The member holds a coupon for this offer that the till did not present.</summary>
    public const string CouponNotPresented = "COUPON_NOT_PRESENTED";

    /// <summary>The screen code of a reason: NEW_MEMBER, WIN_BACK, BIRTHDAY, TIER, AFFINITY, THEME_DAY, MEMBER_DAY, REFERRAL, COUPON, GENERAL.</summary>
    public static string Of(OfferReason reason) => reason switch
    {
        OfferReason.NewMember => "NEW_MEMBER",
        OfferReason.WinBack => "WIN_BACK",
        OfferReason.Birthday => "BIRTHDAY",
        OfferReason.Tier => "TIER",
        OfferReason.Affinity => "AFFINITY",
        OfferReason.ThemeDay => "THEME_DAY",
        OfferReason.MemberDay => "MEMBER_DAY",
        OfferReason.Referral => "REFERRAL",
        OfferReason.Coupon => "COUPON",
        _ => "GENERAL",
    };

    /// <summary>The screen code of a kind: AMOUNT_OFF, PERCENT_OFF, BUY_X_GET_Y, POINTS_MULTIPLIER, BONUS_POINTS, COUPON.</summary>
    public static string Of(OfferKind kind) => kind switch
    {
        OfferKind.AmountOff => "AMOUNT_OFF",
        OfferKind.PercentOff => "PERCENT_OFF",
        OfferKind.BuyXGetY => "BUY_X_GET_Y",
        OfferKind.PointsMultiplier => "POINTS_MULTIPLIER",
        OfferKind.BonusPoints => "BONUS_POINTS",
        _ => "COUPON",
    };
}
