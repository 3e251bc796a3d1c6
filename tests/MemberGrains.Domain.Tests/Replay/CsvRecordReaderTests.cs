namespace MemberGrains.Domain.Tests.Replay;

public class CsvRecordReaderTests
{
    [Fact]
    public void ReadRecords_QuotedCommasAndDoubledQuotes_KeepFieldsIntact()
    {
        const string text = "a,\"AIRLINE LOUNGE,METAL SIGN\",\"RECORD FRAME 7\"\" SINGLE\",,z\r\nb,plain,x,y,\r\n";

        var records = CsvRecordReader.ReadRecords(new StringReader(text)).ToList();

        Assert.Equal(2, records.Count);
        Assert.Equal(["a", "AIRLINE LOUNGE,METAL SIGN", "RECORD FRAME 7\" SINGLE", "", "z"], records[0]);
        Assert.Equal(["b", "plain", "x", "y", ""], records[1]);
    }

    [Fact]
    public void ReadRecords_LineBreakInsideQuotes_JoinsTheLines()
    {
        var records = CsvRecordReader.ReadRecords(new StringReader("1,\"two\nlines\",3\n4,5,6\n")).ToList();

        Assert.Equal(["1", "two\nlines", "3"], records[0]);
        Assert.Equal(["4", "5", "6"], records[1]);
    }

    [Fact]
    public void ReadRecords_UnterminatedQuote_Throws()
    {
        Assert.Throws<InvalidDataException>(() => CsvRecordReader.ReadRecords(new StringReader("1,\"open\n")).ToList());
    }

    [Fact]
    public void Parse_FileLines_StripsCustomerSuffixAndKeepsEmptyCustomerNull()
    {
        var text = OnlineRetailFile.Header + "\r\n"
            + "536381,82567,\"AIRLINE LOUNGE,METAL SIGN\",2,2010-12-01 09:41:00,2.1,15311.0,United Kingdom\r\n"
            + "C536383,35004C,SET OF 3 COLOURED  FLYING DUCKS,-1,2010-12-01 09:49:00,4.65,,United Kingdom\r\n";

        var lines = OnlineRetailFile.Parse(new StringReader(text));

        Assert.Equal(
            [
                new RetailLine("536381", "82567", 2, new DateTime(2010, 12, 1, 9, 41, 0, DateTimeKind.Unspecified), 2.1m, "15311"),
                new RetailLine("C536383", "35004C", -1, new DateTime(2010, 12, 1, 9, 49, 0, DateTimeKind.Unspecified), 4.65m, null),
            ],
            lines);
        Assert.True(lines[1].IsCancellation);
    }

    [Fact]
    public void Parse_WrongHeader_Throws()
    {
        Assert.Throws<InvalidDataException>(() => OnlineRetailFile.Parse(new StringReader("a,b,c\r\n")));
    }
}
