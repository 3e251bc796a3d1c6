using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests.Rules;

public class ProgramValidatorTests
{
    /// <summary>A valid campaign to add before breaking one of its fields.</summary>
    private const string AddCampaign =
        "earning.campaigns+={'id':'weekend','multiplier':2,'from':'2026-05-01','to':'2026-05-03','daysOfWeek':['saturday','sunday'],'storeIds':['S-001'],'categories':['eco']}";

    /// <summary>Valid tiered redemption value (more points, better value) to break one band of.</summary>
    private const string SetTieredValue =
        "redemption.tieredValue=[{'minPoints':100,'pointsPerUnit':100},{'minPoints':501,'pointsPerUnit':90},{'minPoints':2001,'pointsPerUnit':80}]";

    private static readonly string[] Shipped = ["default", "flat"];

    public static TheoryData<string> ShippedPrograms => [.. Shipped];

    [Theory]
    [MemberData(nameof(ShippedPrograms))]
    public void Check_ShippedProgram_IsValid(string name)
    {
        var check = ProgramValidator.Check(Load(name));

        Assert.Empty(check.Problems);
        Assert.True(check.IsValid);
        Assert.NotNull(check.Program);
    }

    [Theory]
    [MemberData(nameof(ShippedPrograms))]
    public void Check_ShippedProgram_RoundTripsThroughProgramJson(string name)
    {
        var json = Load(name);

        var program = ProgramValidator.Check(json).Program;

        Assert.NotNull(program);
        var written = ProgramJson.Serialize(program);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), JsonNode.Parse(written)), written);
        Assert.Equal(written, ProgramJson.Serialize(ProgramJson.Deserialize(written)));
        Assert.True(ProgramValidator.Check(written).IsValid);
        Assert.True(ProgramValidator.Check(program).IsValid);
    }

    [Fact]
    public void Check_DefaultProgram_ReadsTheSameProgramAsDefaultDocument()
    {
        var program = ProgramValidator.Check(DefaultProgram.Json).Program;

        Assert.NotNull(program);
        Assert.Equal(ProgramJson.Serialize(DefaultProgram.Document), ProgramJson.Serialize(program));
    }

    [Fact]
    public void Check_DocumentWithComments_IsValid()
    {
        var json = "// the default program, annotated\n" + DefaultProgram.Json.Replace("\"schema\": 1,", "\"schema\": 1, /* format */", StringComparison.Ordinal);

        Assert.True(ProgramValidator.Check(json).IsValid);
    }

    [Theory]
    [InlineData(AddCampaign)]
    [InlineData("expiry.mode='rollingMonths'", "expiry.months=12")]
    [InlineData("expiry.mode='never'", "expiry.months=0")]
    [InlineData(SetTieredValue)]
    [InlineData("segments[0].maxFrequency=null")]
    [InlineData("-tiers.levels[0].perks")]
    [InlineData("earning.birthday.multiplier=1", "earning.birthday.period='week'")]
    [InlineData("earning.dailyCapFen=0", "earning.pendingDays=365")]
    [InlineData("earning.thresholdBonuses=[]", "earning.categoryMultipliers=[]", "activities=[]", "segments=[]", "offers=[]", "categories=[]")]
    [InlineData("tiers.levels=[{'tier':'regular','minSpendFen':0,'earnMultiplier':1,'discountPercent':0}]", "tiers.maintenance=[]")]
    [InlineData("earning.brackets[1].pointsPerUnit=0", "tiers.levels[0].earnMultiplier=0", "earning.categoryMultipliers[0].multiplier=0")]
    [InlineData("redemption.minimumPoints=1", "redemption.stepPoints=1", "redemption.maxBasketSharePercent=100", "redemption.defaultHoldSeconds=3600")]
    [InlineData("timeZone='UTC'", "currency='EUR'", "refunds.whenPointsSpent='clawbackWithDebt'", "risk.velocity.onRedemption='decline'")]
    public void Check_AllowedVariation_IsValid(params string[] edits)
    {
        var check = ProgramValidator.Check(Edit(edits));

        Assert.Empty(check.Problems);
        Assert.NotNull(check.Program);
    }

    [Theory]
    [InlineData("earning.brackets[1].rate", "earning.brackets[1].rate=12")]
    [InlineData("rewards", "rewards={}")]
    [InlineData("segments[0].Name", "segments[0].Name='x'")]
    [InlineData("earning['daily cap']", "earning['daily cap']=1")]
    [InlineData("earning.dailyCapFen", "-earning.dailyCapFen")]
    [InlineData("activities[0].points", "-activities[0].points")]
    [InlineData("tiers", "-tiers")]
    [InlineData("earning.pendingDays", "earning.pendingDays='7'")]
    [InlineData("earning.pendingDays", "earning.pendingDays=1.5")]
    [InlineData("earning.pendingDays", "earning.pendingDays=1.0")]
    [InlineData("earning.pendingDays", "earning.pendingDays=1e1")]
    [InlineData("tiers.qualifyingMonths", "tiers.qualifyingMonths=3000000000")]
    [InlineData("earning.dailyCapFen", "earning.dailyCapFen=10000000000000000000")]
    [InlineData("earning.categoryMultipliers[0].multiplier", "earning.categoryMultipliers[0].multiplier='1.5'")]
    [InlineData("earning.categoryMultipliers[0].multiplier", "earning.categoryMultipliers[0].multiplier=1e400")]
    [InlineData("notices.birthdayWeek", "notices.birthdayWeek='yes'")]
    [InlineData("name", "name=null")]
    [InlineData("name", "name=42")]
    [InlineData("tiers.levels[0].perks", "tiers.levels[0].perks=null")]
    [InlineData("tiers.levels[1].perks[0]", "tiers.levels[1].perks=[null]")]
    [InlineData("activities[0]", "activities[0]=null")]
    [InlineData("activities[0]", "activities[0]='check_in'")]
    [InlineData("earning", "earning=[]")]
    [InlineData("activities", "activities={}")]
    [InlineData("segments[0].maxFrequency", "segments[0].maxFrequency='2'")]
    [InlineData("expiry.mode", "expiry.mode='yearly'")]
    [InlineData("earning.birthday.period", "earning.birthday.period='Month'")]
    [InlineData("earning.birthday.period", "earning.birthday.period=' month'")]
    [InlineData("earning.birthday.period", "earning.birthday.period='month, week'")]
    [InlineData("refunds.whenPointsSpent", "refunds.whenPointsSpent=1")]
    [InlineData("risk.velocity.onRedemption", "risk.velocity.onRedemption='block'")]
    [InlineData("tiers.levels[0].tier", "tiers.levels[0].tier='bronze'")]
    [InlineData("earning.campaigns[0].daysOfWeek[0]", AddCampaign, "earning.campaigns[0].daysOfWeek[0]='funday'")]
    [InlineData("earning.campaigns[0].from", AddCampaign, "earning.campaigns[0].from='2026-13-01'")]
    [InlineData("earning.campaigns[0].from", AddCampaign, "earning.campaigns[0].from='2026-05-01T00:00:00'")]
    [InlineData("earning.campaigns[0].to", AddCampaign, "earning.campaigns[0].to=20260503")]
    public void Check_StructuralMistake_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("schema", "schema=2")]
    [InlineData("name", "name='  '")]
    [InlineData("currency", "currency='cny'")]
    [InlineData("currency", "currency='CNYY'")]
    [InlineData("currency", "currency='C1Y'")]
    [InlineData("timeZone", "timeZone='Mars/Olympus_Mons'")]
    [InlineData("timeZone", "timeZone=''")]
    public void Check_HeaderRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("earning.enrollmentBonus", "earning.enrollmentBonus=-1")]
    [InlineData("earning.brackets", "earning.brackets=[]")]
    [InlineData("earning.brackets[0].minSpendFen", "earning.brackets[0].minSpendFen=1")]
    [InlineData("earning.brackets[2].minSpendFen", "earning.brackets[2].minSpendFen=10000")]
    [InlineData("earning.brackets[1].pointsPerUnit", "earning.brackets[1].pointsPerUnit=-1")]
    [InlineData("earning.thresholdBonuses[0].minSpendFen", "earning.thresholdBonuses[0].minSpendFen=0")]
    [InlineData("earning.thresholdBonuses[0].points", "earning.thresholdBonuses[0].points=0")]
    [InlineData("earning.thresholdBonuses[1].minSpendFen", "earning.thresholdBonuses+={'minSpendFen':20000,'points':80}")]
    [InlineData("earning.birthday.multiplier", "earning.birthday.multiplier=0.5")]
    [InlineData("earning.categoryMultipliers[0].multiplier", "earning.categoryMultipliers[0].multiplier=-0.5")]
    [InlineData("earning.categoryMultipliers[0].category", "earning.categoryMultipliers[0].category=''")]
    [InlineData("earning.categoryMultipliers[1].category", "earning.categoryMultipliers+={'category':'eco','multiplier':2}")]
    [InlineData("earning.campaigns[0].id", AddCampaign, "earning.campaigns[0].id=''")]
    [InlineData("earning.campaigns[1].id", AddCampaign, AddCampaign)]
    [InlineData("earning.campaigns[0].multiplier", AddCampaign, "earning.campaigns[0].multiplier=0")]
    [InlineData("earning.campaigns[0].to", AddCampaign, "earning.campaigns[0].to='2026-04-30'")]
    [InlineData("earning.campaigns[0].daysOfWeek[1]", AddCampaign, "earning.campaigns[0].daysOfWeek[1]='saturday'")]
    [InlineData("earning.campaigns[0].storeIds[0]", AddCampaign, "earning.campaigns[0].storeIds[0]=''")]
    [InlineData("earning.campaigns[0].categories[0]", AddCampaign, "earning.campaigns[0].categories[0]=' '")]
    [InlineData("earning.dailyCapFen", "earning.dailyCapFen=-1")]
    [InlineData("earning.pendingDays", "earning.pendingDays=366")]
    [InlineData("earning.pendingDays", "earning.pendingDays=-1")]
    public void Check_EarningRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("activities[0].kind", "activities[0].kind=''")]
    [InlineData("activities[0].kind", "activities[0].kind='Check-In'")]
    [InlineData("activities[0].kind", "activities[0].kind='1st_visit'")]
    [InlineData("activities[0].kind", "activities[0].kind='check_in\\n'")]
    [InlineData("activities[0].kind", "activities[0].kind='abcdefghijklmnopqrstuvwxyz_0123456'")]
    [InlineData("activities[1].kind", "activities[1].kind='check_in'")]
    [InlineData("activities[0].points", "activities[0].points=0")]
    [InlineData("activities[0].maxPerDay", "activities[0].maxPerDay=-1")]
    [InlineData("activities[0].maxPerMember", "activities[0].maxPerMember=-1")]
    public void Check_ActivityRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Fact]
    public void Check_ActivityKindOf32Characters_IsValid()
    {
        Assert.True(ProgramValidator.Check(Edit("activities[0].kind='abcdefghijklmnopqrstuvwxyz_01234'")).IsValid);
    }

    [Theory]
    [InlineData("redemption.pointsPerUnit", "redemption.pointsPerUnit=0")]
    [InlineData("redemption.minimumPoints", "redemption.minimumPoints=0")]
    [InlineData("redemption.stepPoints", "redemption.stepPoints=0")]
    [InlineData("redemption.minimumPoints", "redemption.minimumPoints=150")]
    [InlineData("redemption.maxBasketSharePercent", "redemption.maxBasketSharePercent=0")]
    [InlineData("redemption.maxBasketSharePercent", "redemption.maxBasketSharePercent=101")]
    [InlineData("redemption.tieredValue[2].minPoints", SetTieredValue, "redemption.tieredValue[2].minPoints=501")]
    [InlineData("redemption.tieredValue[0].minPoints", SetTieredValue, "redemption.tieredValue[0].minPoints=50")]
    [InlineData("redemption.tieredValue[1].pointsPerUnit", SetTieredValue, "redemption.tieredValue[1].pointsPerUnit=0")]
    [InlineData("redemption.tieredValue[1].pointsPerUnit", SetTieredValue, "redemption.tieredValue[1].pointsPerUnit=110")]
    [InlineData("redemption.tieredValue[0].pointsPerUnit", SetTieredValue, "redemption.tieredValue[0].pointsPerUnit=120")]
    [InlineData("redemption.defaultHoldSeconds", "redemption.defaultHoldSeconds=0")]
    [InlineData("redemption.defaultHoldSeconds", "redemption.defaultHoldSeconds=3601")]
    [InlineData("redemption.maxHoldSeconds", "redemption.maxHoldSeconds=86401")]
    [InlineData("redemption.maxHoldSeconds", "redemption.maxHoldSeconds=0")]
    public void Check_RedemptionRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("expiry.months", "expiry.mode='rollingMonths'", "expiry.months=0")]
    [InlineData("expiry.months", "expiry.mode='rollingMonths'", "expiry.months=121")]
    [InlineData("expiry.expiringSoonDays", "expiry.expiringSoonDays=366")]
    [InlineData("expiry.expiringSoonDays", "expiry.expiringSoonDays=-1")]
    public void Check_ExpiryRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("tiers.qualifyingMonths", "tiers.qualifyingMonths=0")]
    [InlineData("tiers.qualifyingMonths", "tiers.qualifyingMonths=37")]
    [InlineData("tiers.levels", "tiers.levels=[]", "tiers.maintenance=[]")]
    [InlineData("tiers.levels[2].tier", "tiers.levels[1].tier='gold'")]
    [InlineData("tiers.levels[2].tier", "tiers.levels[1].tier='gold'", "tiers.levels[2].tier='silver'")]
    [InlineData("tiers.levels[0].minSpendFen", "tiers.levels[0].minSpendFen=1")]
    [InlineData("tiers.levels[1].maxSpendFen", "-tiers.levels[1].maxSpendFen")]
    [InlineData("tiers.levels[2].minSpendFen", "tiers.levels[2].minSpendFen=900000")]
    [InlineData("tiers.levels[2].minSpendFen", "tiers.levels[2].minSpendFen=1100000")]
    [InlineData("tiers.levels[3].maxSpendFen", "tiers.levels[3].maxSpendFen=9999999")]
    [InlineData("tiers.levels[1].maxSpendFen", "tiers.levels[1].maxSpendFen=50000")]
    [InlineData("tiers.levels[2].earnMultiplier", "tiers.levels[2].earnMultiplier=-1")]
    [InlineData("tiers.levels[2].discountPercent", "tiers.levels[2].discountPercent=101")]
    [InlineData("tiers.levels[2].discountPercent", "tiers.levels[2].discountPercent=-1")]
    [InlineData("tiers.levels[2].perks[0]", "tiers.levels[2].perks[0]=''")]
    [InlineData("tiers.maintenance[0].tier", "-tiers.levels[3]", "-tiers.levels[2].maxSpendFen", "tiers.maintenance[0].tier='platinum'")]
    [InlineData("tiers.maintenance[1].tier", "tiers.maintenance+={'tier':'gold','minMonthlySpendFen':30000}")]
    [InlineData("tiers.maintenance[0].minMonthlySpendFen", "tiers.maintenance[0].minMonthlySpendFen=0")]
    [InlineData("tiers.inactiveMonthsToLowest", "tiers.inactiveMonthsToLowest=121")]
    [InlineData("tiers.inactiveMonthsToLowest", "tiers.inactiveMonthsToLowest=-1")]
    public void Check_TierRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("rfm.windowMonths", "rfm.windowMonths=0")]
    [InlineData("rfm.windowMonths", "rfm.windowMonths=37")]
    [InlineData("rfm.recencyDays", "rfm.recencyDays=[7,30,90]")]
    [InlineData("rfm.frequencyPurchases", "rfm.frequencyPurchases=[2,4,12,52,104]")]
    [InlineData("rfm.recencyDays[2]", "rfm.recencyDays[2]=30")]
    [InlineData("rfm.recencyDays[0]", "rfm.recencyDays[0]=0")]
    [InlineData("rfm.frequencyPurchases[0]", "rfm.frequencyPurchases[0]=0")]
    [InlineData("rfm.monetaryFen[0]", "rfm.monetaryFen[0]=-1")]
    [InlineData("rfm.monetaryFen[3]", "rfm.monetaryFen[3]=1000000")]
    public void Check_RfmRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("segments[1].name", "segments[1].name=''")]
    [InlineData("segments[1].name", "segments[1].name='new'")]
    [InlineData("segments[1].minRecency", "segments[1].minRecency=6")]
    [InlineData("segments[3].maxRecency", "segments[3].maxRecency=0")]
    [InlineData("segments[3].minRecency", "segments[3].minRecency=3")]
    [InlineData("segments[0].maxDaysSinceFirstPurchase", "segments[0].maxDaysSinceFirstPurchase=-1")]
    [InlineData("segments[4]", "segments+={'name':'everyone'}")]
    [InlineData("defaultSegment", "defaultSegment=''")]
    [InlineData("defaultSegment", "defaultSegment='dormant'")]
    public void Check_SegmentRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("lifecycle.newDays", "lifecycle.newDays=0")]
    [InlineData("lifecycle.newMaxPurchases", "lifecycle.newMaxPurchases=0")]
    [InlineData("lifecycle.loyalMinScore", "lifecycle.loyalMinScore=0")]
    [InlineData("lifecycle.loyalMinScore", "lifecycle.loyalMinScore=6")]
    [InlineData("lifecycle.atRiskAfterDays", "lifecycle.atRiskAfterDays=0")]
    [InlineData("lifecycle.churnedAfterDays", "lifecycle.churnedAfterDays=0")]
    [InlineData("lifecycle.churnedAfterDays", "lifecycle.churnedAfterDays=30")]
    public void Check_LifecycleRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Theory]
    [InlineData("risk.churnRisk.silentDays", "risk.churnRisk.silentDays=0")]
    [InlineData("risk.churnRisk.minPurchases", "risk.churnRisk.minPurchases=0")]
    [InlineData("risk.churnRisk.lookbackDays", "risk.churnRisk.lookbackDays=0")]
    [InlineData("risk.dailyCap.flagHours", "risk.dailyCap.flagHours=0")]
    [InlineData("risk.velocity.maxPurchases", "risk.velocity.maxPurchases=0")]
    [InlineData("risk.velocity.windowMinutes", "risk.velocity.windowMinutes=-5")]
    [InlineData("risk.velocity.flagHours", "risk.velocity.flagHours=0")]
    [InlineData("risk.refundAbuse.maxRefundedPercent", "risk.refundAbuse.maxRefundedPercent=101")]
    [InlineData("risk.refundAbuse.maxRefundedPercent", "risk.refundAbuse.maxRefundedPercent=-1")]
    [InlineData("risk.refundAbuse.minPurchases", "risk.refundAbuse.minPurchases=0")]
    [InlineData("risk.dormantRedemption.dormantDays", "risk.dormantRedemption.dormantDays=0")]
    [InlineData("risk.dormantRedemption.minPoints", "risk.dormantRedemption.minPoints=-1")]
    [InlineData("risk.newMemberRedemption.withinHours", "risk.newMemberRedemption.withinHours=0")]
    [InlineData("risk.newMemberRedemption.minPoints", "risk.newMemberRedemption.minPoints=-1")]
    [InlineData("risk.promotionOnly.minPurchases", "risk.promotionOnly.minPurchases=0")]
    [InlineData("risk.promotionOnly.minPromotionPercent", "risk.promotionOnly.minPromotionPercent=100.5")]
    public void Check_RiskRuleBroken_ReportsOnlyThatPath(string path, params string[] edits) => AssertOnlyProblemAt(path, edits);

    [Fact]
    public void Check_SeveralProblemsAtOnce_ListsEveryOne()
    {
        var json = Edit(
            "earning.brackets[1].rate=12",
            "tiers.levels[2].minSpendFen=900000",
            "earning.brackets[2].pointsPerUnit=-1",
            "expiry.mode='yearly'",
            "risk.velocity.flagHours=0");

        var check = ProgramValidator.Check(json);

        Assert.Null(check.Program);
        Assert.False(check.IsValid);
        Assert.Equal(
            ["earning.brackets[1].rate", "earning.brackets[2].pointsPerUnit", "expiry.mode", "risk.velocity.flagHours", "tiers.levels[2].minSpendFen"],
            check.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Check_RuleReadingARepairedValue_IsNotReportedAsWell()
    {
        // The months rule depends on the mode, and the next tier's start on this tier's end: with the
        // mode and the end unreadable, only the unreadable values are reported.
        var json = Edit("expiry.mode='yearly'", "expiry.months=0", "tiers.levels[1].maxSpendFen='lots'", "activities[0]=null");

        var check = ProgramValidator.Check(json);

        Assert.Null(check.Program);
        Assert.Equal(["activities[0]", "expiry.mode", "tiers.levels[1].maxSpendFen"], check.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Check_OverlappingTierRanges_SaysTheyOverlap()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("tiers.levels[2].minSpendFen=900000")).Problems);

        Assert.StartsWith("tiers.levels[2] starts at 900000 but tiers.levels[1] ends at 999999: the ranges overlap.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_GapBetweenTierRanges_NamesTheSpendNoTierCovers()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("tiers.levels[2].minSpendFen=1100000")).Problems);

        Assert.StartsWith("tiers.levels[2] starts at 1100000 but tiers.levels[1] ends at 999999: the spend from 1000000 to 1099999 fen belongs to no tier.", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownEnumName_ListsTheAllowedNames()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("expiry.mode='yearly'")).Problems);

        Assert.Equal("expiry.mode is the text \"yearly\"; it must be one of: endOfYearAfterEarning, rollingMonths, never.", problem.Message);
    }

    [Fact]
    public void Check_EnumNameInWrongCase_SuggestsTheRightName()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("risk.dailyCap.onRedemption='Review'")).Problems);

        Assert.EndsWith("Choices are case-sensitive: did you mean review?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FieldNameInWrongCase_SuggestsTheRightName()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("earning.brackets[0].MinSpendFen=0")).Problems);

        Assert.Contains("did you mean minSpendFen?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownField_ListsTheFieldsAllowedThere()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("earning.brackets[1].rate=12")).Problems);

        Assert.Equal("earning.brackets[1].rate is not a field of earning.brackets[1]. The fields allowed here are: minSpendFen, pointsPerUnit.", problem.Message);
    }

    [Fact]
    public void Check_NegativeRate_ExplainsWhatZeroDoes()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("earning.brackets[1].pointsPerUnit=-1")).Problems);

        Assert.Equal("earning.brackets[1].pointsPerUnit is -1; it must be at least 0 points per unit. A rate can't be negative; 0 makes the bracket earn nothing.", problem.Message);
    }

    [Fact]
    public void Check_FieldGivenTwice_ReportsTheRepeat()
    {
        var json = DefaultProgram.Json.Replace("\"pendingDays\": 0", "\"pendingDays\": 0, \"pendingDays\": 7", StringComparison.Ordinal);
        Assert.NotEqual(DefaultProgram.Json, json);

        var check = ProgramValidator.Check(json);

        Assert.Null(check.Program);
        Assert.Equal("earning.pendingDays", Assert.Single(check.Problems).Path);
    }

    [Fact]
    public void Check_FieldGivenTwiceOnceAsNull_ReportsBoth()
    {
        var json = DefaultProgram.Json.Replace("\"name\": \"Default program\"", "\"name\": null, \"name\": \"Default program\"", StringComparison.Ordinal);
        Assert.NotEqual(DefaultProgram.Json, json);

        var check = ProgramValidator.Check(json);

        Assert.Null(check.Program);
        Assert.Equal(["name", "name"], check.Problems.Select(p => p.Path));
        Assert.Contains("more than once", check.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MalformedJson_GivesLineAndByte()
    {
        var json = "{\n  \"schema\": 1,\n  \"name\": \"x\",,\n}";

        var problem = Assert.Single(ProgramValidator.Check(json).Problems);

        Assert.Equal(string.Empty, problem.Path);
        Assert.StartsWith("The program document is not valid JSON (line 3, byte ", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("[{\"schema\": 1}]")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("\"a program\"")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("{\"schema\":")]
    [InlineData("{} {}")]
    [InlineData("not json at all")]
    [InlineData("\0\u0001\u0002")]
    [InlineData("{\"name\": \"\\ud800\"}")]
    [InlineData("{\"schema\": 1,}")]
    [InlineData("{}")]
    [InlineData("{\"schema\": 1, \"name\": \"x\"}")]
    [InlineData("\ud800")]
    public void Check_Garbage_ReturnsProblemsInsteadOfThrowing(string json)
    {
        var check = ProgramValidator.Check(json);

        Assert.Null(check.Program);
        Assert.NotEmpty(check.Problems);
        Assert.All(check.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Fact]
    public void Check_EmptyObject_ListsEveryMissingField()
    {
        var required = ProgramJson.Options.GetTypeInfo(typeof(LoyaltyProgram)).Properties.Where(p => p.IsRequired).Select(p => p.Name);

        var check = ProgramValidator.Check("{}");

        Assert.Equal(required, check.Problems.Select(p => p.Path));
        Assert.All(check.Problems, p => Assert.StartsWith(p.Path + " is missing; it is required", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_NullText_ReturnsAProblem()
    {
        var check = ProgramValidator.Check((string)null!);

        Assert.Null(check.Program);
        Assert.Equal(string.Empty, Assert.Single(check.Problems).Path);
    }

    [Fact]
    public void Check_DeeplyNestedDocument_ReturnsAProblem()
    {
        var json = "{\"name\":" + new string('[', 10_000) + new string(']', 10_000) + "}";

        var check = ProgramValidator.Check(json);

        Assert.Null(check.Program);
        Assert.Equal(string.Empty, Assert.Single(check.Problems).Path);
    }

    [Fact]
    public void Check_AnyValueReplacedByAnyKindOfValue_NeverThrowsNorReturnsAProgramWithProblems()
    {
        string[] replacements = ["null", "'x'", "''", "-1", "0", "1.5", "99999999999999999999", "true", "{}", "[]", "[null]", "{'x':1}"];
        var checkedCount = 0;

        foreach (var path in ProgramEdits.Paths(DefaultProgram.Json))
        {
            foreach (var value in replacements)
            {
                var check = ProgramValidator.Check(Edit(path + "=" + value));

                Assert.True(check.Program is null == check.Problems.Count > 0, $"{path}={value}");
                Assert.All(check.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
                checkedCount++;
            }

            var removed = ProgramValidator.Check(Edit("-" + path));
            Assert.True(removed.Program is null == removed.Problems.Count > 0, "-" + path);
        }

        Assert.True(checkedCount > 1000, $"Only {checkedCount} documents were checked.");
    }

    [Fact]
    public void Check_ProgramBuiltInCodeWithNulls_ReportsThemInsteadOfThrowing()
    {
        var program = DefaultProgram.Document;
        var broken = program with
        {
            Name = null!,
            Earning = program.Earning with { Brackets = [null!], Campaigns = null! },
            Activities = [program.Activities[0] with { Kind = null! }],
            Tiers = null!,
            Segments = [null!],
            Risk = program.Risk with { Velocity = null! },
        };

        var check = ProgramValidator.Check(broken);

        Assert.Null(check.Program);
        Assert.Equal(
            ["activities[0].kind", "earning.brackets[0]", "earning.campaigns", "name", "risk.velocity", "segments[0]", "tiers"],
            check.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Check_ProgramBuiltInCodeWithUndefinedEnumValue_ReportsIt()
    {
        var program = DefaultProgram.Document;
        var broken = program with { Expiry = program.Expiry with { Mode = (ExpiryMode)7 } };

        var problem = Assert.Single(ProgramValidator.Check(broken).Problems);

        Assert.Equal("expiry.mode", problem.Path);
    }

    [Fact]
    public void Check_NullProgram_ReturnsAProblem()
    {
        var check = ProgramValidator.Check((LoyaltyProgram)null!);

        Assert.Null(check.Program);
        Assert.Single(check.Problems);
    }

    [Fact]
    public void Check_ValidProgramObject_ReturnsTheSameInstance()
    {
        var program = DefaultProgram.Document;

        Assert.Same(program, ProgramValidator.Check(program).Program);
    }

    private static void AssertOnlyProblemAt(string path, string[] edits)
    {
        var check = ProgramValidator.Check(Edit(edits));

        Assert.Null(check.Program);
        Assert.False(check.IsValid);
        var problem = Assert.Single(check.Problems);
        Assert.Equal(path, problem.Path);
        Assert.True(problem.Message.EndsWith('.') || problem.Message.EndsWith('?'), problem.Message);
        Assert.Contains(path.Split('.', '[')[0], problem.Message, StringComparison.Ordinal);
    }

    private static string Edit(params string[] edits) => ProgramEdits.Apply(DefaultProgram.Json, edits);

    private static string Load(string name) => name switch
    {
        "default" => DefaultProgram.Json,
        _ => File.ReadAllText(Path.Combine(RepositoryRoot(), "tests", "programs", name + "-program.json")),
    };

    /// <summary>The repository root, found from the test's output folder or, failing that, from this source file.</summary>
    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) })
        {
            for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "MemberGrains.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("MemberGrains.sln not found above the test output folder or the test source.");
    }
}
