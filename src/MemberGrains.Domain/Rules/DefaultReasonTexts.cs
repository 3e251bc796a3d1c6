namespace MemberGrains.Domain.Rules;

/// <summary>The line screens show under an offer that has no <see cref="Offer.ReasonText"/> of its own.</summary>
internal static class DefaultReasonTexts
{
    private static readonly LocalizedText[] Texts =
    [
        Text("Welcome! An offer for new members.", "新人专享优惠。"),
        Text("We've missed you: a welcome-back offer.", "好久不见，回归专享。"),
        Text("Happy birthday! A birthday treat.", "生日快乐！生日专享。"),
        Text("Exclusive to your tier.", "会员等级专享。"),
        Text("Because you often buy this.", "根据您的购买偏好推荐。"),
        Text("Today's theme day.", "今日主题日优惠。"),
        Text("Member day: every month on the 10th.", "会员日专享。"),
        Text("Thanks for recommending us to friends.", "感谢您推荐好友。"),
        Text("A coupon in your wallet.", "您卡包中的优惠券。"),
        Text("A current offer.", "当前优惠活动。"),
    ];

    /// <summary>The standard line for <paramref name="reason"/>.</summary>
    public static LocalizedText For(OfferReason reason) =>
        (int)reason >= 0 && (int)reason < Texts.Length ? Texts[(int)reason] : Texts[^1];

    private static LocalizedText Text(string en, string zhCn) => new() { En = en, ZhCn = zhCn };
}
