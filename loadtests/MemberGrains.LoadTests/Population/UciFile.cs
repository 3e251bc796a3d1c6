using System.Globalization;
using System.IO.Compression;

namespace MemberGrains.LoadTests.Population;

/// <summary>Reads the UCI Online Retail lines (CSV, optionally gzip-compressed): invoice, stock code, quantity, time, unit price, customer.</summary>
internal static class UciFile
{
    public const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    /// <summary>The data file: <paramref name="path"/> (a file, or a folder holding one), else ../shared/data/online-retail/ from the repository root.</summary>
    public static string Locate(string? path)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrWhiteSpace(path))
        {
            candidates.Add(path);
        }
        else if (RepositoryRoot.Find() is { } root)
        {
            candidates.Add(Path.Combine(root, "..", "shared", "data", "online-retail"));
        }

        foreach (var candidate in candidates.Select(Path.GetFullPath))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (Directory.Exists(candidate))
            {
                var file = Directory.EnumerateFiles(candidate, "*.csv*").Order(StringComparer.Ordinal).FirstOrDefault();
                if (file is not null)
                {
                    return file;
                }
            }
        }

        throw new FileNotFoundException($"No UCI Online Retail data found (looked at {string.Join(", ", candidates.DefaultIfEmpty("nothing: no --uci-path and no repository root"))}); pass --uci-path.");
    }

    /// <summary>The file's lines that name a customer.</summary>
    public static IEnumerable<UciLine> Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()?.TrimStart('\uFEFF');
        if (header != Header)
        {
            throw new InvalidDataException($"{path}: unexpected header '{header}', expected '{Header}'.");
        }

        var fields = new List<string>(8);
        while (reader.ReadLine() is { } line)
        {
            Split(line, fields);
            if (fields.Count != 8 || fields[6].Length == 0)
            {
                continue;
            }

            var customer = fields[6].EndsWith(".0", StringComparison.Ordinal) ? fields[6][..^2] : fields[6];
            yield return new UciLine(
                fields[0],
                fields[1],
                int.Parse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                DateTime.ParseExact(fields[4], ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "M/d/yyyy H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                decimal.Parse(fields[5], NumberStyles.Number, CultureInfo.InvariantCulture),
                customer);
        }
    }

    /// <summary>Splits one CSV record (double-quoted fields may hold commas and doubled quotes).</summary>
    public static void Split(string line, List<string> fields)
    {
        fields.Clear();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
    }
}
