using System.Text;

namespace MemberGrains.Grpc.Tests.Fuzz;

/// <summary>Hostile values for string fields, chosen with the run's seeded random.</summary>
internal static class HostileText
{
    /// <summary>C0 and C1 controls: NUL, SOH, BEL, BS, TAB, LF, CR LF, ESC, DEL, NEL, CSI.</summary>
    public static readonly string[] Controls = ["\0", "\u0001", "\u0007", "\b", "\t", "\n", "\r\n", "\u001B", "\u007F", "\u0085", "\u009B"];

    /// <summary>Format characters: RLO, LRO, LRI, PDI, zero-width space, LRM, Arabic letter mark, BOM, soft hyphen.</summary>
    public static readonly string[] Formats = ["\u202E", "\u202D", "\u2066", "\u2069", "\u200B", "\u200E", "\u061C", "\uFEFF", "\u00AD"];

    private static readonly (TextAttack Attack, int Weight)[] Weights =
    [
        (TextAttack.Empty, 8), (TextAttack.Blank, 4), (TextAttack.Control, 20), (TextAttack.Format, 12), (TextAttack.AtLimit, 8),
        (TextAttack.OverLimit, 10), (TextAttack.Huge, 6), (TextAttack.Sensible, 16), (TextAttack.Exotic, 16),
    ];

    private static readonly string[] Blanks = [" ", "   ", "\u00A0", "\u3000", "\u2003"];

    private static readonly string[] Exotic =
    [
        "🍎", "S001🍎", "👩‍💻", "🇨🇳", "e\u0301\u0302\u0303\u0304", "\u0301S001", "متجر٣", "חנות 5", "ﬁsh", "Ｓ００１", "𝒮𝓉𝑜𝓇𝑒",
        "\uE000", "\uFFFD", "a b", " lead", "trail ", "Ǆ", "😀😀", "ℌ", "Å",
    ];

    // Letters and digits of several scripts, precomposed and decomposed: ids the contract accepts.
    private static readonly string[] TillIds = ["上海01", "北京朝阳07", "Zürich3", "Zu\u0308rich3", "東京-2", "서울1", "Москва5", "S-001.a:b_c"];

    private static readonly string[] Categories = ["生鲜", "baby food", "fresh produce", "乳制品", "Käse", "Obst und Gemüse"];

    private static readonly string[] FreeTexts = ["运营部 张伟", "ops team", "Café 夏季促销", "summer campaign 2026", "Ünïcödé note"];

    private static readonly string[] MemberIds = ["会员001", "Müller.7", "上海01"];

    private const string Alphanumerics = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A hostile value for the field (whose value now is <paramref name="current"/>) and the kind of attack it is.</summary>
    public static (string Value, TextAttack Attack) Pick(FieldSpec spec, string current, Random random)
    {
        var attack = PickAttack(random);
        var limit = spec.MaxLength > 0 ? spec.MaxLength : FieldSpec.IdLength;
        var value = attack switch
        {
            TextAttack.Empty => string.Empty,
            TextAttack.Blank => Blanks[random.Next(Blanks.Length)],
            TextAttack.Control => Insert(Base(spec, current), Controls[random.Next(Controls.Length)], random),
            TextAttack.Format => Insert(Base(spec, current), Formats[random.Next(Formats.Length)], random),
            TextAttack.AtLimit => Alphanumeric(random, limit),
            TextAttack.OverLimit => random.Next(2) == 0
                ? Alphanumeric(random, limit + 1 + random.Next(40))
                : new string('生', limit + 1 + random.Next(40)),
            TextAttack.Huge => Huge(random),
            TextAttack.Sensible => Sensible(spec.Kind, random),
            _ => Exotic[random.Next(Exotic.Length)],
        };
        return (value, attack);
    }

    /// <summary>Letters and digits, <paramref name="length"/> of them.</summary>
    public static string Alphanumeric(Random random, int length) =>
        string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphanumerics[r.Next(Alphanumerics.Length)];
            }
        });

    /// <summary>10 KB of ASCII, or 1 MB of UTF-8 (ASCII or Chinese).</summary>
    public static string Huge(Random random) => random.Next(5) switch
    {
        0 => new string('x', 1 << 20),
        1 => new string('生', (1 << 20) / 3),
        _ => new string('x', 10 * 1024),
    };

    /// <summary><paramref name="inserted"/> put at the start, the end or inside <paramref name="value"/>.</summary>
    public static string Insert(string value, string inserted, Random random)
    {
        var at = random.Next(3) switch
        {
            0 => 0,
            1 => value.Length,
            _ => value.Length / 2,
        };
        // Never between the halves of a surrogate pair.
        if (at > 0 && at < value.Length && char.IsLowSurrogate(value[at]))
        {
            at++;
        }

        return new StringBuilder(value).Insert(at, inserted).ToString();
    }

    private static TextAttack PickAttack(Random random)
    {
        var roll = random.Next(Weights.Sum(w => w.Weight));
        foreach (var (attack, weight) in Weights)
        {
            if (roll < weight)
            {
                return attack;
            }

            roll -= weight;
        }

        return TextAttack.Exotic;
    }

    private static string Base(FieldSpec spec, string current)
    {
        if (current.Length is > 0 and < 4096)
        {
            return current;
        }

        return spec.Kind switch
        {
            FieldKind.Date => "1990-05-17",
            FieldKind.Category => "grocery",
            FieldKind.ActivityKind => "check_in",
            FieldKind.FreeText => "ops team",
            _ => "S001",
        };
    }

    private static string Sensible(FieldKind kind, Random random) => kind switch
    {
        FieldKind.Category => Categories[random.Next(Categories.Length)],
        FieldKind.FreeText => FreeTexts[random.Next(FreeTexts.Length)],
        FieldKind.MemberId => MemberIds[random.Next(MemberIds.Length)],
        FieldKind.Date => "二〇二〇-01-01",
        FieldKind.ActivityKind => "签到",
        // Request ids, hold ids and purchase references must not repeat one sent earlier.
        FieldKind.RequestId or FieldKind.HoldRef or FieldKind.PurchaseRef => $"{TillIds[random.Next(TillIds.Length)]}-{random.Next(1_000_000)}",
        FieldKind.Document => "生鲜",
        _ => TillIds[random.Next(TillIds.Length)],
    };
}
