namespace MemberGrains.Domain.Rules;

/// <summary>Which purchase lines an offer looks at: of one of the categories or SKUs (none given: every line), promoted only or not.</summary>
internal readonly struct LineFilter
{
    public LineFilter(IReadOnlyList<string>? categories, IReadOnlyList<string>? skus, bool promotedOnly)
    {
        Categories = categories is null ? [] : [.. categories];
        Skus = skus is null ? [] : [.. skus];
        PromotedOnly = promotedOnly;
    }

    public string[] Categories { get; }

    public string[] Skus { get; }

    public bool PromotedOnly { get; }

    /// <summary>True when no category or SKU narrows the lines.</summary>
    public bool AnyLine => (Categories is null || Categories.Length == 0) && (Skus is null || Skus.Length == 0);

    /// <summary>True when every line of every basket matches.</summary>
    public bool Everything => AnyLine && !PromotedOnly;

    public bool Matches(PurchaseLine line)
    {
        if (PromotedOnly && !line.Promoted)
        {
            return false;
        }

        if (AnyLine)
        {
            return true;
        }

        foreach (var category in Categories)
        {
            if (string.Equals(category, line.Category, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var sku in Skus)
        {
            if (string.Equals(sku, line.Sku, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"fresh food, household" or "any line", for messages.</summary>
    public string Describe()
    {
        var names = new List<string>((Categories?.Length ?? 0) + (Skus?.Length ?? 0));
        names.AddRange(Categories ?? []);
        names.AddRange((Skus ?? []).Select(s => "SKU " + s));
        var what = names.Count == 0 ? "any line" : string.Join(", ", names);
        return PromotedOnly ? "promoted lines of " + what : what;
    }
}
