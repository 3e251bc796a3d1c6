using static MemberGrains.Domain.Tests.Offers.OfferScenario;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>
/// The earning worked examples of docs/program.md, on the whole default program (offers included):
/// a regular member without personalisation consent, on Tuesday 11 March 2025 — no theme day, not
/// the member day — earns exactly what the table says, so shipping offers changed none of them.
/// </summary>
public sealed class DefaultProgramEarningTests
{
    private static readonly DateTimeOffset Tuesday = new(2025, 3, 11, 15, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(25_800, 0, 3_146)]
    [InlineData(15_800, 10_000, 3_746)]
    [InlineData(9_999, 0, 999)]
    [InlineData(50_001, 0, 7_550)]
    public void Accrue_DocumentedBasket_EarnsTheDocumentedPointsWithTheOffersShipped(long foodFen, long ecoFen, long expected)
    {
        var member = Member(enrolledAt: Tuesday.AddDays(-30), consent: false);
        PurchaseLine[] lines = ecoFen > 0 ? [Line("food", foodFen), Line("eco", ecoFen)] : [Line("food", foodFen)];

        var receipt = member.Buy(Purchase("p-1", lines), Tuesday);

        Assert.Null(receipt.Offers);
        Assert.Equal(expected, receipt.Points);
    }

    [Fact]
    public void Accrue_DocumentedBasketInTheBirthdayMonth_EarnsTheDocumentedPoints()
    {
        var member = Member(enrolledAt: Tuesday.AddDays(-30), consent: false, birthday: new DateOnly(1990, 3, 12));

        var receipt = member.Buy(Purchase("p-1", Line("food", 15_800), Line("eco", 10_000)), Tuesday);

        Assert.Equal(7_442, receipt.Points);
    }

    [Fact]
    public void Accrue_DocumentedBasketWith100LeftUnderTheCap_EarnsTheDocumentedPoints()
    {
        var member = Member(enrolledAt: Tuesday.AddDays(-30), consent: false);
        member.Buy("p-0", "food", 490_000, Tuesday.AddHours(-1));

        var receipt = member.Buy(Purchase("p-1", Line("food", 30_000)), Tuesday);

        Assert.Equal(1_200, receipt.Points);
        Assert.True(receipt.Earning!.CapReached);
    }
}
