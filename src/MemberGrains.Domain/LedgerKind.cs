namespace MemberGrains.Domain;

/// <summary>What moved points in or out of a balance. Persisted by name in the ledger: never rename.</summary>
public enum LedgerKind
{
    /// <summary>Welcome points at enrolment.</summary>
    Enrollment,

    /// <summary>Points earned by a purchase.</summary>
    Earn,

    /// <summary>Points spent at a till (a captured hold).</summary>
    Redeem,

    /// <summary>Points taken back because (part of) a purchase was refunded.</summary>
    RefundClawback,

    /// <summary>Points whose lot reached its expiry date.</summary>
    Expire,

    /// <summary>Behaviour points (check-in, review, referral …).</summary>
    Activity,

    /// <summary>Points withheld from an earning to pay what an earlier refund could not take back.</summary>
    DebtRecovery,

    /// <summary>Bonus points of an offer (the row names it in <see cref="LedgerEntry.OfferId"/>).</summary>
    Offer,
}
