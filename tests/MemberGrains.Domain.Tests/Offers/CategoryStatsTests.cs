using MemberGrains.Domain.Offers;
using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>What a member keeps per product category: counts, spend, the latest purchase times.</summary>
public sealed class CategoryStatsTests
{
    [Fact]
    public void Accrue_LinesOfCategories_CountOncePerPurchaseAndIgnoreEmptyCategories()
    {
        var member = Member(consent: false);

        member.Buy(Purchase("p-1", Line("household", 1_000, sku: "A"), Line("household", 2_000, sku: "B"), Line(string.Empty, 500), Line("生鲜", 700)), Local(2026, 3, 6));

        Assert.Equal(["household", "生鲜"], member.State.Categories.Keys.Order(StringComparer.Ordinal));
        var household = member.State.Categories["household"];
        Assert.Equal((1, 3_000L, Local(2026, 3, 6)), (household.Purchases, household.SpendFen, household.LastPurchasedAt));
    }

    [Fact]
    public void Accrue_ManyPurchases_KeepsTheLatestTimesOnly()
    {
        var member = Member(consent: false);
        for (var i = 0; i < CategoryStats.TimesKept + 3; i++)
        {
            member.Buy($"p-{i}", "household", 1_000, Local(2026, 3, 6).AddDays(i));
        }

        var stats = member.State.Categories["household"];
        Assert.Equal(CategoryStats.TimesKept + 3, stats.Purchases);
        Assert.Equal(CategoryStats.TimesKept, stats.Times.Count);
        Assert.Equal(Local(2026, 3, 9), stats.Times[0]);
    }

    [Fact]
    public void Accrue_MoreCategoriesThanTracked_ForgetsTheLeastRecentlyBought()
    {
        var limits = AccountLimits.Default with { MaxTrackedCategories = 2 };
        var member = TestMember.Enroll(Enrolled, limits, new MemberGrains.Domain.Rules.StaticProgramCatalog(Default), personalisationConsent: true);

        member.Buy("p-1", "a", 1_000, Local(2026, 3, 6));
        member.Buy("p-2", "b", 1_000, Local(2026, 3, 7));
        member.Buy("p-3", "a", 1_000, Local(2026, 3, 8));
        member.Buy("p-4", "c", 1_000, Local(2026, 3, 9));

        Assert.Equal(["a", "c"], member.State.Categories.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Refund_LeavesCategoryStatsAlone()
    {
        var member = Member(consent: false);
        member.Buy("p-1", "household", 1_000, Local(2026, 3, 6));

        member.Refund("f-1", "p-1", Local(2026, 3, 7));

        Assert.Equal(1, member.State.Categories["household"].Purchases);
    }
}
