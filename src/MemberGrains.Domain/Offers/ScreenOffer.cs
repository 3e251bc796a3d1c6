using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Offers;

/// <summary>An offer as an in-store screen shows it, ranked by value to the member.</summary>
/// <param name="OfferId">The offer (for a wallet coupon: its template).</param>
/// <param name="Title">Its name.</param>
/// <param name="Reason">One line saying why the member sees it.</param>
/// <param name="ReasonCode">NEW_MEMBER, WIN_BACK, BIRTHDAY, TIER, AFFINITY, THEME_DAY, MEMBER_DAY, REFERRAL, COUPON or GENERAL.</param>
/// <param name="KindCode">AMOUNT_OFF, PERCENT_OFF, BUY_X_GET_Y, POINTS_MULTIPLIER, BONUS_POINTS or COUPON (a wallet coupon shows what it gives).</param>
/// <param name="ValueFen">Estimated value to the member, in fen (points at their redemption value).</param>
/// <param name="AvailableFrom">When it becomes usable, if later than now (it starts later today or tomorrow).</param>
/// <param name="ValidUntil">The end of the stretch it is usable in (today's window, the offer's last day, the coupon's expiry); null: no end.</param>
/// <param name="CouponId">The wallet coupon, when it is one.</param>
public sealed record ScreenOffer(
    string OfferId,
    LocalizedText Title,
    LocalizedText Reason,
    string ReasonCode,
    string KindCode,
    long ValueFen,
    DateTimeOffset? AvailableFrom,
    DateTimeOffset? ValidUntil,
    string? CouponId);
