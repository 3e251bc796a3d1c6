using System.Text.Json.Nodes;
using MemberGrains.Domain.Offers;
using MemberGrains.Persistence;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>The offer parts of the member state survive the store's JSON (<see cref="MemberStateJson"/>), and older states load.</summary>
public sealed class OfferStateJsonTests
{
    [Fact]
    public void MemberState_WithWalletUsesAndCategories_RoundTripsAndKeepsDeciding()
    {
        var member = Member(consent: true, birthday: new DateOnly(1990, 3, 9));
        member.Buy(Purchase("p-1", Line("household", 23_000), Line("baby formula", 6_000, quantity: 2)), Local(2026, 3, 10)); // first order, member day, birthday week
        Assert.NotEmpty(member.State.Wallet);
        Assert.NotEmpty(member.State.OfferUses);

        var json = MemberStateJson.Serialize(member.State);
        var loaded = MemberStateJson.Deserialize(json);

        Assert.Equal(json, MemberStateJson.Serialize(loaded));
        var purchase = loaded.Purchases["p-1"];
        Assert.Equal(member.State.Purchases["p-1"].Receipt.Offers, purchase.Receipt.Offers);
        Assert.Equal(5_000, purchase.DiscountFen);
        var again = new MemberAccount(loaded, member.Account.Programs, AccountLimits.Default);
        var refund = again.Refund(Cmd.Refund("f-1", "p-1"), Local(2026, 3, 11)).Receipt;
        Assert.Equal(100, refund.Balance); // everything the purchase and its offers earned went back
        Assert.Equal(member.State.Wallet.Count, loaded.Wallet.Count);
    }

    [Fact]
    public void MemberState_StoredBeforeOffers_LoadsWithEmptyOfferState()
    {
        var member = Member(consent: false);
        member.Buy("p-1", "grocery", 5_000, Local(2026, 3, 6));
        var node = JsonNode.Parse(MemberStateJson.Serialize(member.State))!.AsObject();
        foreach (var field in new[] { "wallet", "couponSeq", "offerUses", "categories" })
        {
            node.Remove(field);
        }

        node["purchases"]!["p-1"]!.AsObject().Remove("offers");

        var loaded = MemberStateJson.Deserialize(node.ToJsonString());

        Assert.Empty(loaded.Wallet);
        Assert.Empty(loaded.OfferUses);
        Assert.Empty(loaded.Categories);
        Assert.Empty(loaded.Purchases["p-1"].Offers);
        var account = new MemberAccount(loaded, member.Account.Programs, AccountLimits.Default);
        Assert.Equal(500, account.Refund(Cmd.Refund("f-1", "p-1"), Local(2026, 3, 7)).Receipt.Points);
    }
}
