using MemberGrains.Domain.Offers;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain;

/// <summary>
/// What a refund does to the offers a purchase used. A refund gives no line detail, so the basket
/// left is valued at list price in proportion to what is left of the money paid. Points offers are
/// recomputed on what is left (a multiplier follows the rate points; an offer whose minimum basket no
/// longer holds takes all its points back); a full refund gives every use, discount and budget back,
/// returns the coupons it used (while still valid) and revokes the coupons it issued (if unused).
/// </summary>
public sealed partial class MemberAccount
{
    /// <summary>Bonus points each of the purchase's offers gives back when what is left of the money paid goes from <paramref name="before"/> to <paramref name="after"/>.</summary>
    private static long[] OfferTakeBacks(PurchaseRecord purchase, long before, EarnBreakdown? earnedBefore, long after, EarnBreakdown? earnedAfter)
    {
        var takes = new long[purchase.Offers.Count];
        for (var i = 0; i < takes.Length; i++)
        {
            var offer = purchase.Offers[i];
            if (offer.BonusPoints <= 0)
            {
                continue;
            }

            var had = OfferPointsLeft(purchase, offer, before, earnedBefore);
            var keeps = OfferPointsLeft(purchase, offer, after, earnedAfter);
            takes[i] = Math.Clamp(had - keeps, 0, offer.BonusPoints - offer.PointsTakenBack);
        }

        return takes;
    }

    /// <summary>What an offer's points come to when <paramref name="paidLeft"/> of what was paid is left: nothing once its minimum basket no longer holds.</summary>
    private static long OfferPointsLeft(PurchaseRecord purchase, PurchaseOffer offer, long paidLeft, EarnBreakdown? earned)
    {
        if (paidLeft <= 0 || earned is null)
        {
            return 0;
        }

        if (offer.MinSpendFen > 0 && ListValueLeft(purchase, paidLeft) < offer.MinSpendFen)
        {
            return 0;
        }

        return offer.Kind == OfferKind.PointsMultiplier
            ? MultiplierBonus(earned.RatePoints, offer.Multiplier, offer.ScopeFen, purchase.TotalFen)
            : offer.BonusPoints;
    }

    /// <summary>The basket left at list price: the total in proportion to what is left of the money paid (rounded down).</summary>
    private static long ListValueLeft(PurchaseRecord purchase, long paidLeft) =>
        purchase.PaidFen <= 0 ? 0 : (long)((Int128)purchase.TotalFen * paidLeft / purchase.PaidFen);

    /// <summary>Applies a refund to the purchase's offers (see the class remarks); returns the bonus points taken back.</summary>
    private long GiveBackOffers(PurchaseRecord purchase, long[] takes, RefundCommand command, DateTimeOffset at, DateTimeOffset now, int version)
    {
        var full = purchase.PaidFen - purchase.RefundedFen <= 0;
        long total = 0;
        for (var i = 0; i < purchase.Offers.Count; i++)
        {
            var offer = purchase.Offers[i];
            var take = takes[i];
            if (take > 0)
            {
                offer.PointsTakenBack += take;
                total += take;
                var taken = ClawBack(take, purchase.RequestId);
                if (taken > 0)
                {
                    Record(LedgerKind.RefundClawback, -taken, command.RequestId, command.StoreId, command.TerminalId, at, version, offer.OfferId);
                }
            }

            var returnUse = !offer.UseReturned && (full || (offer.BonusPoints > 0 && offer.PointsTakenBack >= offer.BonusPoints));
            var unitsLeft = offer.BudgetUnits - offer.BudgetUnitsReturned;
            var unitsBack = offer.BudgetUnit switch
            {
                BudgetUnit.Points => Math.Min(take, unitsLeft),
                BudgetUnit.DiscountFen => full ? unitsLeft : 0,
                BudgetUnit.Uses => returnUse ? unitsLeft : 0,
                _ => 0,
            };
            offer.BudgetUnitsReturned += unitsBack;
            var discountBack = full ? offer.DiscountFen : 0;
            if (returnUse)
            {
                offer.UseReturned = true;
                CountUse(offer.OfferId, offer.Period, offer.PeriodKey, -1, now);
            }

            if (full)
            {
                ReturnCoupons(purchase, offer, now);
            }

            if (take > 0 || unitsBack > 0 || returnUse)
            {
                _pendingOfferUses.Add(new OfferUse(offer.OfferId, command.RequestId, -unitsBack, offer.BudgetToken, -discountBack, -take, true, at, offer.CouponId ?? offer.IssuedCouponId));
            }
        }

        return total;
    }

    /// <summary>A fully refunded purchase: the coupon it used goes back to the wallet if still valid; the coupon it issued is revoked if unused.</summary>
    private void ReturnCoupons(PurchaseRecord purchase, PurchaseOffer offer, DateTimeOffset now)
    {
        if (offer.CouponId is { } used
            && State.Wallet.Find(c => string.Equals(c.CouponId, used, StringComparison.Ordinal)) is { Status: CouponStatus.Used } coupon
            && string.Equals(coupon.UsedBy, purchase.RequestId, StringComparison.Ordinal)
            && coupon.ExpiresAt > now)
        {
            coupon.Status = CouponStatus.Open;
            coupon.UsedBy = null;
            coupon.UsedAt = null;
        }

        if (offer.IssuedCouponId is { } issued
            && State.Wallet.Find(c => string.Equals(c.CouponId, issued, StringComparison.Ordinal)) is { Status: CouponStatus.Open } given)
        {
            given.Status = CouponStatus.Revoked;
        }
    }
}
