namespace MemberGrains.Domain.Rules;

/// <summary>Why a member gets an offer, as screens group and explain it. Persisted by number: append only.</summary>
public enum OfferReason
{
    /// <summary>Welcome offer for a new member.</summary>
    NewMember,

    /// <summary>Win-back for a dormant or at-risk member.</summary>
    WinBack,

    /// <summary>The member's birthday.</summary>
    Birthday,

    /// <summary>Exclusive to a tier.</summary>
    Tier,

    /// <summary>The member buys a category often.</summary>
    Affinity,

    /// <summary>A category's theme day (Monday fresh food …).</summary>
    ThemeDay,

    /// <summary>The monthly member day.</summary>
    MemberDay,

    /// <summary>A reward for referring friends.</summary>
    Referral,

    /// <summary>A coupon.</summary>
    Coupon,

    /// <summary>Anything else.</summary>
    General,
}
