using System.Globalization;
using System.IO.Compression;

namespace MemberGrains.Domain.Tests.Replay;

/// <summary>Finds and parses the UCI Online Retail lines kept next to the repository.</summary>
internal static class OnlineRetailFile
{
    public const string Header = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";

    private const string SolutionFile = "MemberGrains.sln";

    /// <summary>Path of the data file: ../shared/data/online-retail/ from the repository root.</summary>
    public static string Locate()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, SolutionFile)))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new FileNotFoundException($"No folder holding {SolutionFile} above {AppContext.BaseDirectory}: can't find the repository root.");
        }

        var path = Path.GetFullPath(Path.Combine(root.FullName, "..", "shared", "data", "online-retail", "online_retail_lines.csv.gz"));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The UCI Online Retail data is missing: expected {path} (../shared/data/online-retail/ next to the repository root {root.FullName}).", path);
    }

    /// <summary>Streams and parses every line of the gzip-compressed CSV at <paramref name="path"/>.</summary>
    public static List<RetailLine> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return Parse(reader);
    }

    /// <summary>Parses the CSV text (header first) of <paramref name="reader"/>.</summary>
    public static List<RetailLine> Parse(TextReader reader)
    {
        var lines = new List<RetailLine>(capacity: 550_000);
        var record = 0;
        foreach (var fields in CsvRecordReader.ReadRecords(reader))
        {
            record++;
            if (record == 1)
            {
                var header = string.Join(',', fields).TrimStart('\uFEFF');
                if (header != Header)
                {
                    throw new InvalidDataException($"Unexpected header '{header}'; expected '{Header}'.");
                }

                continue;
            }

            lines.Add(ParseRecord(fields, record));
        }

        return lines;
    }

    private static RetailLine ParseRecord(string[] fields, int record)
    {
        if (fields.Length != 8)
        {
            throw new InvalidDataException($"Record {record} has {fields.Length} fields, expected 8.");
        }

        try
        {
            var customer = fields[6];
            if (customer.EndsWith(".0", StringComparison.Ordinal))
            {
                customer = customer[..^2];
            }

            return new RetailLine(
                fields[0],
                fields[1],
                int.Parse(fields[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                DateTime.ParseExact(fields[4], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                decimal.Parse(fields[5], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
                customer.Length == 0 ? null : customer);
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"Record {record} can't be read: {e.Message} ({string.Join(',', fields)})", e);
        }
    }
}
