namespace MemberGrains.Domain.Tests;

public class ValidationTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    private static readonly string LongId = new('r', Validate.MaxIdLength + 1);

    /// <summary>Enrolled, with purchase "p-1" (100 points) and open hold "H1" of 10 points.</summary>
    private static TestMember Member()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        member.Reserve("r-1", 10, T0);
        return member;
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(-10_000L)]
    [InlineData(1_000_000_001L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Accrue_TotalOutOfRange_IsInvalidOnTotalFen(long totalFen)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "total_fen", a => a.Accrue(Cmd.Purchase("p-2", totalFen), T0.AddMinutes(1)));
    }

    [Fact]
    public void Accrue_TotalAtMaximum_Accepted()
    {
        var member = Member();

        var outcome = member.Accrue("p-2", 1_000_000_000, T0.AddMinutes(1)); // 10,000,000 CNY

        Assert.Equal(10_000_000, outcome.Receipt.Points);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" a")]
    [InlineData("tab\there")]
    [InlineData("u\u0308")]
    [InlineData("del\u007f")]
    public void Accrue_BadRequestId_IsInvalidOnRequestId(string requestId)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "request_id", a => a.Accrue(Cmd.Purchase(requestId, 1_000), T0.AddMinutes(1)));
    }

    [Fact]
    public void AnyOperation_RequestIdTooLong_IsInvalidOnRequestId()
    {
        var member = Member();
        var now = T0.AddMinutes(1);

        member.AssertRejected(ErrorKind.InvalidArgument, "request_id", a => a.Accrue(Cmd.Purchase(LongId, 1_000), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "request_id", a => a.Reserve(Cmd.Reserve(LongId, 1), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "request_id", a => a.Capture(Cmd.Capture(LongId, "H1"), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "request_id", a => a.Release(Cmd.Release(LongId, "H1"), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "request_id", a => a.Refund(Cmd.Refund(LongId, "p-1"), now));
    }

    [Fact]
    public void Accrue_RequestIdOfMaximumLength_Accepted()
    {
        var member = Member();

        Assert.Equal(10, member.Accrue(new string('r', Validate.MaxIdLength), 1_000, T0.AddMinutes(1)).Receipt.Points);
    }

    [Fact]
    public void AnyOperation_EmptyStoreOrTerminal_IsInvalidOnThatField()
    {
        var member = Member();
        var now = T0.AddMinutes(1);

        member.AssertRejected(ErrorKind.InvalidArgument, "store_id", a => a.Accrue(Cmd.Purchase("p-2", 1_000) with { StoreId = string.Empty }, now));
        member.AssertRejected(ErrorKind.InvalidArgument, "terminal_id", a => a.Accrue(Cmd.Purchase("p-2", 1_000) with { TerminalId = "T\t1" }, now));
        member.AssertRejected(ErrorKind.InvalidArgument, "store_id", a => a.Reserve(Cmd.Reserve("r-2", 1) with { StoreId = string.Empty }, now));
        member.AssertRejected(ErrorKind.InvalidArgument, "terminal_id", a => a.Capture(Cmd.Capture("c-1", "H1") with { TerminalId = string.Empty }, now));
        member.AssertRejected(ErrorKind.InvalidArgument, "store_id", a => a.Release(Cmd.Release("x-1", "H1") with { StoreId = LongId }, now));
        member.AssertRejected(ErrorKind.InvalidArgument, "terminal_id", a => a.Refund(Cmd.Refund("f-1", "p-1") with { TerminalId = string.Empty }, now));
    }

    [Fact]
    public void Accrue_NoLines_IsInvalidOnLines()
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "lines", a => a.Accrue(Cmd.Purchase("p-2", 1_000, []), T0.AddMinutes(1)));
    }

    [Fact]
    public void Accrue_TooManyLines_IsInvalidOnLines()
    {
        var member = TestMember.Enroll(T0, AccountLimits.Default with { MaxLines = 2 });
        var line = new PurchaseLine("A", "food", 1, 100);

        member.AssertRejected(ErrorKind.InvalidArgument, "lines", a => a.Accrue(Cmd.Purchase("p-1", 300, line, line, line), T0));
        Assert.Equal(2, member.Account.Accrue(Cmd.Purchase("p-2", 200, line, line), T0).Receipt.Points);
    }

    [Theory]
    [InlineData(999L)]
    [InlineData(1_001L)]
    public void Accrue_LinesNotAddingUpToTotal_IsInvalidOnLines(long totalFen)
    {
        var member = Member();
        PurchaseLine[] lines = [new("A", "food", 1, 600), new("B", "food", 2, 400)];

        member.AssertRejected(ErrorKind.InvalidArgument, "lines", a => a.Accrue(Cmd.Purchase("p-2", totalFen, lines), T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(100_001, 0)]
    [InlineData(0, 2)]
    [InlineData(int.MinValue, 1)]
    public void Accrue_BadLineQuantity_IsInvalidOnThatLinesQuantity(int quantity, int badLine)
    {
        var member = Member();
        var lines = new PurchaseLine[3];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = new PurchaseLine($"SKU-{i}", "food", i == badLine ? quantity : 1, 100);
        }

        member.AssertRejected(ErrorKind.InvalidArgument, $"lines[{badLine}].quantity", a => a.Accrue(Cmd.Purchase("p-2", 300, lines), T0.AddMinutes(1)));
    }

    [Fact]
    public void Accrue_LineQuantityAtMaximum_Accepted()
    {
        var member = Member();

        Assert.False(member.Account.Accrue(Cmd.Purchase("p-2", 100, new PurchaseLine("A", "food", 100_000, 100)), T0.AddMinutes(1)).Replayed);
    }

    [Fact]
    public void Accrue_BadLineFields_IsInvalidOnThatLinesField()
    {
        var member = Member();
        var now = T0.AddMinutes(1);
        var good = new PurchaseLine("A", "food", 1, 100);

        member.AssertRejected(ErrorKind.InvalidArgument, "lines[1].amount_fen", a => a.Accrue(Cmd.Purchase("p-2", 100, good, new PurchaseLine("B", "food", 1, -1), new PurchaseLine("C", "food", 1, 1)), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "lines[0].amount_fen", a => a.Accrue(Cmd.Purchase("p-2", 100, new PurchaseLine("B", "food", 1, 1_000_000_001)), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "lines[1].sku", a => a.Accrue(Cmd.Purchase("p-2", 200, good, good with { Sku = string.Empty }), now));
        member.AssertRejected(ErrorKind.InvalidArgument, "lines[0].category", a => a.Accrue(Cmd.Purchase("p-2", 100, good with { Category = "hot food\u202E" }), now));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1_000_000_001L)]
    [InlineData(long.MaxValue)]
    public void Reserve_PointsOutOfRange_IsInvalidOnPoints(long points)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "points", a => a.Reserve(Cmd.Reserve("r-2", points), T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(1_000_000_001L)]
    public void Capture_PointsOutOfRange_IsInvalidOnPoints(long points)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "points", a => a.Capture(Cmd.Capture("c-1", "H1", points), T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("H\u20281")]
    public void CaptureAndRelease_BadHoldId_IsInvalidOnHoldId(string holdId)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "hold_id", a => a.Capture(Cmd.Capture("c-1", holdId), T0.AddMinutes(1)));
        member.AssertRejected(ErrorKind.InvalidArgument, "hold_id", a => a.Release(Cmd.Release("x-1", holdId), T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(1_000_000_001L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Refund_AmountOutOfRange_IsInvalidOnAmountFen(long amountFen)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "amount_fen", a => a.Refund(Cmd.Refund("f-1", "p-1", amountFen), T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("p 1 ")]
    public void Refund_BadOriginalRequestId_IsInvalidOnOriginalRequestId(string original)
    {
        var member = Member();

        member.AssertRejected(ErrorKind.InvalidArgument, "original_request_id", a => a.Refund(Cmd.Refund("f-1", original), T0.AddMinutes(1)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("m 1")]
    [InlineData("m/1")]
    [InlineData("m@1")]
    [InlineData("m é")]
    [InlineData("m\u00001")]
    public void Enroll_BadMemberId_IsInvalidOnMemberId(string memberId)
    {
        var error = Assert.Throws<DomainException>(() => MemberAccount.Enroll(Cmd.Enroll(memberId), TestPrograms.FlatCatalog(), AccountLimits.Default, T0));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("member_id", error.Field);
    }

    [Fact]
    public void Enroll_MemberIdLength_Accepts64AndRejects65()
    {
        var (account, _) = MemberAccount.Enroll(Cmd.Enroll(new string('m', 64)), TestPrograms.FlatCatalog(), AccountLimits.Default, T0);
        Assert.Equal(new string('m', 64), account.State.MemberId);

        var error = Assert.Throws<DomainException>(() => MemberAccount.Enroll(Cmd.Enroll(new string('m', 65)), TestPrograms.FlatCatalog(), AccountLimits.Default, T0));
        Assert.Equal("member_id", error.Field);
    }

    [Fact]
    public void Enroll_AllowedPunctuationInMemberId_Accepted()
    {
        var (account, _) = MemberAccount.Enroll(Cmd.Enroll("CN:shop_1.member-42"), TestPrograms.FlatCatalog(), AccountLimits.Default, T0);

        Assert.Equal("CN:shop_1.member-42", account.State.MemberId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("r\u200B1")]
    public void Enroll_BadRequestId_IsInvalidOnRequestId(string requestId)
    {
        var error = Assert.Throws<DomainException>(() => MemberAccount.Enroll(Cmd.Enroll(requestId: requestId), TestPrograms.FlatCatalog(), AccountLimits.Default, T0));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("request_id", error.Field);
    }

    [Theory]
    [InlineData(1899, 12, 31)]
    [InlineData(2025, 3, 12)]
    public void Enroll_BirthdayOutOfRange_IsInvalidOnBirthday(int year, int month, int day)
    {
        var error = Assert.Throws<DomainException>(() => MemberAccount.Enroll(Cmd.Enroll(birthday: new DateOnly(year, month, day)), TestPrograms.FlatCatalog(), AccountLimits.Default, T0));

        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("birthday", error.Field);
    }

    [Fact]
    public void Enroll_BadHomeStore_IsInvalidOnHomeStoreId()
    {
        var command = Cmd.Enroll() with { HomeStoreId = "S 1\u0000" };

        var error = Assert.Throws<DomainException>(() => MemberAccount.Enroll(command, TestPrograms.FlatCatalog(), AccountLimits.Default, T0));

        Assert.Equal("home_store_id", error.Field);
    }

    [Fact]
    public void Enroll_BirthdayToday_Accepted()
    {
        var (account, _) = MemberAccount.Enroll(Cmd.Enroll(birthday: new DateOnly(2025, 3, 10)), TestPrograms.FlatCatalog(), AccountLimits.Default, T0);

        Assert.Equal(new DateOnly(2025, 3, 10), account.State.Birthday);
    }

    [Fact]
    public void Accrue_InvalidRequestThatWouldAlsoExpireLots_WritesNothing()
    {
        var member = Member();
        var afterExpiry = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

        member.AssertRejected(ErrorKind.InvalidArgument, "total_fen", a => a.Accrue(Cmd.Purchase("p-2", 0), afterExpiry));
        member.AssertRejected(ErrorKind.NotFound, "original_request_id", a => a.Refund(Cmd.Refund("f-1", "nope"), afterExpiry));
        Assert.Equal(200, member.State.Balance);
    }

    [Theory]
    [InlineData("上海01", "生鲜")]
    [InlineData("北京朝阳07", "baby food")]
    [InlineData("Zürich 3", "Obst und Gemüse")]
    [InlineData("서울1", "乳制品")]
    public void Accrue_UnicodeStoreAndCategory_Accepted(string store, string category)
    {
        var member = Member();

        var outcome = member.Account.Accrue(Cmd.Purchase("p-u", 10_000, new PurchaseLine("SKU-生鲜-1", category, 1, 10_000)) with { StoreId = store }, T0.AddMinutes(1));

        Assert.False(outcome.Replayed);
    }

    [Theory]
    [InlineData("会员001")]
    [InlineData("Müller.7")]
    public void Enroll_UnicodeMemberNumber_Accepted(string memberId)
    {
        var (account, _) = MemberAccount.Enroll(Cmd.Enroll() with { MemberId = memberId }, TestPrograms.FlatCatalog(), AccountLimits.Default, T0);

        Assert.Equal(memberId, account.State.MemberId);
    }

    [Theory]
    [InlineData("x", 128, null)]
    [InlineData("", 128, "is required")]
    [InlineData("a\u0000b", 128, "must not contain control, format or unassigned characters (U+0000 at position 2)")]
    [InlineData("a\u202Eb", 128, "must not contain control, format or unassigned characters (U+202E at position 2)")]
    [InlineData("👩\u200D💻", 128, null)]
    [InlineData(" a", 128, "must not start or end with a space")]
    [InlineData("a\u3000", 128, "must not start or end with a space")]
    [InlineData("生生生", 2, "is longer than 2 characters")]
    [InlineData("😀😀", 2, null)]
    [InlineData("e\u0301", 128, "must be Unicode text in normalisation form C (NFC)")]
    public void TextProblem_Values_AsTheContractSays(string value, int maxLength, string? problem) =>
        Assert.Equal(problem, Validate.TextProblem(value, maxLength));

    [Fact]
    public void TextProblem_LoneSurrogate_NotValidUnicode() =>
        Assert.Equal("is not valid Unicode text (a lone surrogate)", Validate.TextProblem(new string(['\uD800', 'x']), 128));
}
