using System.Text;

namespace MemberGrains.Domain.Tests.Replay;

/// <summary>
/// Reads RFC 4180 records: fields separated by commas, a field in double quotes may hold commas,
/// line breaks and doubled quotes (<c>""</c> stands for one quote).
/// </summary>
internal static class CsvRecordReader
{
    /// <summary>The records of <paramref name="reader"/>, one array of fields each, header included.</summary>
    public static IEnumerable<string[]> ReadRecords(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            if (!line.Contains('"', StringComparison.Ordinal))
            {
                yield return line.Split(',');
                continue;
            }

            var inQuotes = false;
            while (true)
            {
                for (var i = 0; i < line.Length; i++)
                {
                    var c = line[i];
                    if (inQuotes)
                    {
                        if (c != '"')
                        {
                            field.Append(c);
                        }
                        else if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i++;
                        }
                        else
                        {
                            inQuotes = false;
                        }
                    }
                    else if (c == '"')
                    {
                        inQuotes = true;
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

                if (!inQuotes)
                {
                    break;
                }

                // A quoted field runs on over the line break.
                line = reader.ReadLine() ?? throw new InvalidDataException("The input ends inside a quoted field.");
                field.Append('\n');
            }

            fields.Add(field.ToString());
            field.Clear();
            yield return [.. fields];
            fields.Clear();
        }
    }
}
