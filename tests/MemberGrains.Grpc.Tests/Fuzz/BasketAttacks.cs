using Google.Protobuf;
using Google.Protobuf.Collections;
using MemberGrains.Protos.V1;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>
/// Changes to a basket (total_fen and lines of Accrue and QuoteCheckout), made alone: totals that
/// don't match the lines, negative, zero and extreme amounts, lines whose amounts add up past
/// long.MaxValue (also to a small total once wrapped), no lines, many lines, duplicate lines.
/// </summary>
internal static class BasketAttacks
{
    private static readonly long[] Amounts = [0, -1, -500, 1, long.MaxValue, long.MinValue, long.MaxValue / 2 + 1, int.MaxValue, 1_000_000_000, 1_000_000_001];

    public static IReadOnlyList<Func<IMessage, Random, Mutation?>> All { get; } =
    [
        TotalNotTheSum, LineAmountWithTotalFollowing, LineAmountWithTotalKept, NoLines, OverflowWrappingToSmallTotal,
        OverflowAtMaxTotal, TotalOffByOne, ManyLines, DuplicateLines, NegativeLineBalancedByAnother,
    ];

    private static RepeatedField<PurchaseLine> Lines(IMessage request) =>
        (RepeatedField<PurchaseLine>)request.Descriptor.FindFieldByName("lines").Accessor.GetValue(request);

    private static long Total(IMessage request) => (long)request.Descriptor.FindFieldByName("total_fen").Accessor.GetValue(request);

    private static void SetTotal(IMessage request, long total) => request.Descriptor.FindFieldByName("total_fen").Accessor.SetValue(request, total);

    /// <summary>Every field a broken basket may be refused under.</summary>
    private static string[] BasketFields(IMessage request) =>
        ["total_fen", "lines", .. Enumerable.Range(0, Lines(request).Count).Select(i => $"lines[{i}].amount_fen")];

    private static long? CheckedSum(IEnumerable<PurchaseLine> lines)
    {
        try
        {
            return lines.Aggregate(0L, (sum, line) => checked(sum + line.AmountFen));
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static Mutation? TotalNotTheSum(IMessage request, Random random)
    {
        var sum = Total(request);
        var total = Amounts[random.Next(Amounts.Length)];
        if (total == sum)
        {
            return null;
        }

        SetTotal(request, total);
        return new Mutation($"total_fen := {total} (lines add up to {sum})", Expectation.Invalid("total_fen", "lines"));
    }

    private static Mutation? LineAmountWithTotalFollowing(IMessage request, Random random)
    {
        var lines = Lines(request);
        var i = random.Next(lines.Count);
        var amount = Amounts[random.Next(Amounts.Length)];
        lines[i].AmountFen = amount;
        var sum = CheckedSum(lines);
        SetTotal(request, sum ?? long.MaxValue);
        var label = $"lines[{i}].amount_fen := {amount}, total_fen := {sum?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "long.MaxValue (the sum overflows)"}";
        return new Mutation(label, sum is null || sum <= 0 || amount < 0 ? Expectation.Invalid(BasketFields(request)) : Expectation.Any);
    }

    private static Mutation? LineAmountWithTotalKept(IMessage request, Random random)
    {
        var lines = Lines(request);
        var i = random.Next(lines.Count);
        var amount = Amounts[random.Next(Amounts.Length)];
        if (amount == lines[i].AmountFen)
        {
            return null;
        }

        lines[i].AmountFen = amount;
        return new Mutation($"lines[{i}].amount_fen := {amount}, total_fen kept at {Total(request)}", Expectation.Invalid(BasketFields(request)));
    }

    private static Mutation? NoLines(IMessage request, Random random)
    {
        Lines(request).Clear();
        return new Mutation("lines := [] (total_fen kept)", Expectation.Invalid("lines", "total_fen"));
    }

    private static Mutation? OverflowWrappingToSmallTotal(IMessage request, Random random)
    {
        // long.MaxValue + long.MaxValue + 1002 wraps around to exactly 1000: a sum computed
        // unchecked would match total_fen.
        var lines = Lines(request);
        lines.Clear();
        lines.Add(new PurchaseLine { Sku = "SKU-MAX-1", Quantity = 1, AmountFen = long.MaxValue });
        lines.Add(new PurchaseLine { Sku = "SKU-MAX-2", Quantity = 1, AmountFen = long.MaxValue });
        lines.Add(new PurchaseLine { Sku = "SKU-SMALL", Quantity = 1, AmountFen = 1_002 });
        SetTotal(request, 1_000);
        return new Mutation("lines [long.MaxValue, long.MaxValue, 1002], total_fen 1000 (the unchecked sum)", Expectation.Invalid(BasketFields(request)));
    }

    private static Mutation? OverflowAtMaxTotal(IMessage request, Random random)
    {
        var lines = Lines(request);
        lines.Clear();
        var count = random.Next(2, 10);
        for (var i = 0; i < count; i++)
        {
            lines.Add(new PurchaseLine { Sku = $"SKU-{i}", Quantity = 1, AmountFen = long.MaxValue / 2 + 1 });
        }

        SetTotal(request, long.MaxValue);
        return new Mutation($"{count} lines of long.MaxValue/2+1 each, total_fen long.MaxValue", Expectation.Invalid(BasketFields(request)));
    }

    private static Mutation? TotalOffByOne(IMessage request, Random random)
    {
        var total = Total(request) + (random.Next(2) == 0 ? 1 : -1);
        SetTotal(request, total);
        return new Mutation($"total_fen := {total} (one fen off the lines)", Expectation.Invalid("total_fen", "lines"));
    }

    private static Mutation? ManyLines(IMessage request, Random random)
    {
        var lines = Lines(request);
        var count = random.Next(3) switch
        {
            0 => 999,
            1 => 1_001,
            _ => 5_000,
        };
        lines.Clear();
        for (var i = 0; i < count; i++)
        {
            lines.Add(new PurchaseLine { Sku = $"SKU-{i}", Category = "grocery", Quantity = 1, AmountFen = 100 });
        }

        SetTotal(request, count * 100L);
        return new Mutation($"{count} lines of 100 fen, total_fen {count * 100L}", Expectation.Any);
    }

    private static Mutation? DuplicateLines(IMessage request, Random random)
    {
        var lines = Lines(request);
        var copy = lines[0].Clone();
        lines.Add(copy);
        SetTotal(request, Total(request) + copy.AmountFen);
        return new Mutation($"lines[0] repeated as lines[{lines.Count - 1}] (total_fen follows)", Expectation.Ok);
    }

    private static Mutation? NegativeLineBalancedByAnother(IMessage request, Random random)
    {
        var lines = Lines(request);
        lines[0].AmountFen += 500;
        lines.Add(new PurchaseLine { Sku = "COUPON", Quantity = 1, AmountFen = -500 });
        return new Mutation($"a coupon line of -500 fen balanced by lines[0] (total_fen kept)", Expectation.Invalid($"lines[{lines.Count - 1}].amount_fen", "lines", "total_fen"));
    }
}
