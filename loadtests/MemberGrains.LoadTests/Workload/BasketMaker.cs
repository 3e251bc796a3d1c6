using System.Globalization;
using MemberGrains.Domain.Rules;
using MemberGrains.Protos.V1;

namespace MemberGrains.LoadTests.Workload;

/// <summary>
/// Generates supermarket baskets: 1–6 lines, each 1–4 units of 2–150 CNY (skewed to cheap items),
/// categories the program knows (its category multipliers and campaign categories) mixed with
/// everyday ones (the kind offers and replenishment reminders name: <c>fresh food</c>,
/// <c>household</c>, <c>baby formula</c> …), about one line in five at a promotion price. A basket
/// averages about 120 CNY.
/// </summary>
internal sealed class BasketMaker
{
    private const int SkuCount = 2_000;
    private static readonly string[] Everyday = ["grocery", "fresh food", "household", "dairy", "bakery", "beverages", "baby formula", "personal-care"];
    private readonly string[] _skus = [.. Enumerable.Range(1, SkuCount).Select(i => string.Create(CultureInfo.InvariantCulture, $"SKU-{i:D5}"))];
    private readonly string[] _categories;

    public BasketMaker(ProgramRules program)
    {
        var known = program.Earning.CategoryMultipliers.Select(c => c.Category)
            .Concat(program.Earning.Campaigns.SelectMany(c => c.Categories))
            .Where(c => !string.IsNullOrEmpty(c));
        _categories = [.. Everyday.Concat(known).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Categories lines are drawn from.</summary>
    public IReadOnlyList<string> Categories => _categories;

    public Basket Next(Random random)
    {
        var count = 1 + random.Next(6);
        var lines = new PurchaseLine[count];
        long total = 0;
        for (var i = 0; i < count; i++)
        {
            var quantity = 1 + (random.NextDouble() < 0.7 ? 0 : random.Next(4));
            // Unit prices from 2 to ~150 CNY, most of them cheap (the square skews towards the low end).
            var u = random.NextDouble();
            var unitFen = 200 + (long)(u * u * 14_800);
            var amount = unitFen * quantity;
            lines[i] = new PurchaseLine
            {
                Sku = _skus[random.Next(SkuCount)],
                Category = _categories[random.Next(_categories.Length)],
                Quantity = quantity,
                AmountFen = amount,
                Promoted = random.NextDouble() < 0.2,
            };
            total += amount;
        }

        return new Basket(lines, total);
    }
}
