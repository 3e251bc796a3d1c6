using Grpc.Core;
using MemberGrains.Grpc.Tests.Infrastructure;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests;

/// <summary>
/// The default program's offers through a real Kestrel host and silo on Postgres: quotes say which
/// offers apply and why others don't, Accrue applies them once however often it is retried (one
/// offer_use row), wallet coupons are issued, shown on the screen and redeemed at the till.
/// </summary>
[Collection(DefaultProgramCollection.Name)]
public sealed class OfferTests(DefaultProgramHostFixture fixture) : GrpcTestBase(fixture)
{
    private const string FirstOrder = "new-member-first-order";

    private StoreScreen.StoreScreenClient Screen => new(Fixture.Channel);

    [Fact]
    public async Task QuoteCheckout_NewMember230Cny_Spend200Save50AndNothingChanges()
    {
        var memberId = await ConsentingAsync();
        var before = await Db.ScalarAsync<long>("SELECT version FROM member WHERE member_id = @id", ("id", memberId));

        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 23_000), cancellationToken: Ct);

        var first = Assert.Single(quote.Offers, o => o.OfferId == FirstOrder);
        Assert.Equal("AMOUNT_OFF", first.Kind);
        Assert.Equal(5_000, first.DiscountFen);
        Assert.False(string.IsNullOrEmpty(first.Title.ZhCn));
        Assert.Equal(quote.Offers.Sum(o => o.DiscountFen), quote.DiscountFen);
        Assert.Equal(23_000 - quote.DiscountFen, quote.CashDueAfterDiscountsFen);
        Assert.Equal(quote.Earning.RatePoints + quote.Earning.BonusPoints + quote.OfferBonusPoints, quote.PointsToEarn);
        Assert.Equal(before, await Db.ScalarAsync<long>("SELECT version FROM member WHERE member_id = @id", ("id", memberId)));
        Assert.Equal(0, await OfferUsesAsync(memberId));
    }

    [Fact]
    public async Task QuoteCheckout_NoPersonalisationConsent_FirstOrderRefusedNoConsent()
    {
        var memberId = NewMemberId();
        await Pos.EnrollMemberAsync(Enroll(memberId), cancellationToken: Ct);

        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 23_000), cancellationToken: Ct);

        Assert.DoesNotContain(quote.Offers, o => o.OfferId == FirstOrder);
        var decision = Assert.Single(quote.OfferDecisions, d => d.OfferId == FirstOrder);
        Assert.Equal("NO_CONSENT", decision.Code);
        Assert.False(string.IsNullOrEmpty(decision.Detail));
    }

    [Fact]
    public async Task Accrue_FirstOrderOfferRetried_AppliedOnceWithOneUseAndNotAgainOnTheNextPurchase()
    {
        var memberId = await ConsentingAsync();
        var request = Accrue(memberId, NewRequestId("buy"), 23_000);

        var first = (await Pos.AccrueAsync(request, cancellationToken: Ct)).Receipt;
        var retry = (await Pos.AccrueAsync(request, cancellationToken: Ct)).Receipt;

        var applied = Assert.Single(first.Offers, o => o.OfferId == FirstOrder);
        Assert.Equal(5_000, applied.DiscountFen);
        Assert.Equal(first.Offers.Sum(o => o.DiscountFen), first.DiscountFen);
        Assert.Equal(23_000 - first.DiscountFen, first.CashDueAfterDiscountsFen);
        Assert.Equal(23_000 - first.DiscountFen, first.Earning.EligibleFen);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Offers, retry.Offers);
        Assert.Equal(first.DiscountFen, retry.DiscountFen);
        Assert.Equal(1, await OfferUsesAsync(memberId, FirstOrder));

        var next = (await Pos.AccrueAsync(Accrue(memberId, NewRequestId("buy"), 23_000), cancellationToken: Ct)).Receipt;

        Assert.DoesNotContain(next.Offers, o => o.OfferId == FirstOrder);
        Assert.Equal(1, await OfferUsesAsync(memberId, FirstOrder));
        var quote = await Pos.QuoteCheckoutAsync(Quote(memberId, 23_000), cancellationToken: Ct);
        Assert.Contains(quote.OfferDecisions, d => d.OfferId == FirstOrder);
    }

    [Fact]
    public async Task Refund_FirstOrderPurchase_GivesTheUseBack()
    {
        var memberId = await ConsentingAsync();
        var buy = NewRequestId("buy");
        await Pos.AccrueAsync(Accrue(memberId, buy, 23_000), cancellationToken: Ct);

        await Pos.RefundAsync(Refund(memberId, NewRequestId("refund"), buy), cancellationToken: Ct);

        Assert.Equal(1, await Db.ScalarAsync<long>("SELECT count(*) FROM offer_use WHERE member_id = @id AND offer_id = @offer AND give_back", ("id", memberId), ("offer", FirstOrder)));
    }

    [Fact]
    public async Task ReferralCoupon_ThirdReferral_IssuedShownOnTheScreenAndRedeemedOnce()
    {
        var memberId = await ConsentingAsync();
        RecordActivityResponse? third = null;
        for (var i = 0; i < 3; i++)
        {
            third = await Pos.RecordActivityAsync(Referral(memberId), cancellationToken: Ct);
        }

        var couponId = Assert.Single(third!.Receipt.CouponsIssued);
        var view = await Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = memberId, StoreId = Store }, cancellationToken: Ct);
        var shown = Assert.Single(view.Offers, o => o.CouponId == couponId);
        Assert.Equal("REFERRAL", shown.ReasonCode);
        Assert.Equal(2_000, shown.ValueFen);

        var purchase = Accrue(memberId, NewRequestId("buy"), 12_000);
        purchase.CouponIds.Add(couponId);
        var used = (await Pos.AccrueAsync(purchase, cancellationToken: Ct)).Receipt;
        var again = (await Pos.AccrueAsync(purchase, cancellationToken: Ct)).Receipt;

        var coupon = Assert.Single(used.Offers, o => o.CouponId == couponId);
        Assert.Equal(2_000, coupon.DiscountFen);
        Assert.True(again.Replayed);
        Assert.Equal(used.Offers, again.Offers);

        var later = Accrue(memberId, NewRequestId("buy"), 12_000);
        later.CouponIds.Add(couponId);
        var refused = (await Pos.AccrueAsync(later, cancellationToken: Ct)).Receipt;

        Assert.DoesNotContain(refused.Offers, o => o.CouponId == couponId);
        var decision = Assert.Single(refused.OfferDecisions, d => d.CouponId == couponId);
        Assert.Equal("COUPON_USED", decision.Code);
        var after = await Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = memberId, StoreId = Store }, cancellationToken: Ct);
        Assert.DoesNotContain(after.Offers, o => o.CouponId == couponId);
    }

    [Fact]
    public async Task Accrue_UnknownCoupon_PurchaseAppliedAndCouponReported()
    {
        var memberId = await ConsentingAsync();
        var purchase = Accrue(memberId, NewRequestId("buy"), 12_000);
        purchase.CouponIds.Add("no-such-coupon");

        var receipt = (await Pos.AccrueAsync(purchase, cancellationToken: Ct)).Receipt;

        Assert.True(receipt.Points > 0);
        var decision = Assert.Single(receipt.OfferDecisions, d => d.CouponId == "no-such-coupon");
        Assert.Equal("COUPON_NOT_HELD", decision.Code);
    }

    [Fact]
    public async Task Accrue_ControlCharacterInACouponId_InvalidArgumentNamingIt()
    {
        var memberId = await ConsentingAsync();
        var purchase = Accrue(memberId, NewRequestId("buy"), 12_000);
        purchase.CouponIds.Add("ok");
        purchase.CouponIds.Add("bad\u0007");

        await AssertRefusedUnchangedAsync(memberId, () => Pos.AccrueAsync(purchase, cancellationToken: Ct), StatusCode.InvalidArgument, "coupon_ids[1]");
    }

    [Fact]
    public async Task GetMemberView_NewMember_FirstOrderOfferRankedWithItsReason_NoConsentMemberOnlyGeneric()
    {
        var consenting = await ConsentingAsync();
        var other = NewMemberId();
        await Pos.EnrollMemberAsync(Enroll(other), cancellationToken: Ct);

        var view = await Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = consenting, StoreId = Store }, cancellationToken: Ct);
        var generic = await Screen.GetMemberViewAsync(new GetMemberViewRequest { MemberId = other, StoreId = Store }, cancellationToken: Ct);

        Assert.True(view.Personalised);
        var first = Assert.Single(view.Offers, o => o.OfferId == FirstOrder);
        Assert.Equal("NEW_MEMBER", first.ReasonCode);
        Assert.False(string.IsNullOrEmpty(first.Reason.En));
        Assert.NotNull(first.ValidUntil);
        Assert.Equal(view.Offers.OrderByDescending(o => o.ValueFen).Select(o => o.ValueFen), view.Offers.Select(o => o.ValueFen));
        Assert.False(generic.Personalised);
        Assert.DoesNotContain(generic.Offers, o => o.OfferId == FirstOrder);
        Assert.Empty(generic.Reminders);
        Assert.Empty(generic.AffinityTags);
    }

    private async Task<string> ConsentingAsync()
    {
        var memberId = NewMemberId();
        var enroll = Enroll(memberId);
        enroll.PersonalisationConsent = true;
        await Pos.EnrollMemberAsync(enroll, cancellationToken: Ct);
        return memberId;
    }

    private static QuoteCheckoutRequest Quote(string memberId, long totalFen) => new()
    {
        MemberId = memberId,
        StoreId = Store,
        TotalFen = totalFen,
        Lines = { new PurchaseLine { Sku = "SKU-1", Category = "grocery", Quantity = 1, AmountFen = totalFen } },
    };

    private static RecordActivityRequest Referral(string memberId) => new()
    {
        MemberId = memberId,
        RequestId = NewRequestId("referral"),
        StoreId = Store,
        TerminalId = Terminal,
        Kind = "referral",
        Reference = NewMemberId(),
    };

    private Task<long> OfferUsesAsync(string memberId, string? offerId = null) => offerId is null
        ? Db.ScalarAsync<long>("SELECT count(*) FROM offer_use WHERE member_id = @id", ("id", memberId))
        : Db.ScalarAsync<long>("SELECT count(*) FROM offer_use WHERE member_id = @id AND offer_id = @offer AND NOT give_back", ("id", memberId), ("offer", offerId));
}
