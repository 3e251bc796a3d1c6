using MemberGrains.Domain.Rules;
using MemberGrains.Domain.Tests.Rules;

namespace MemberGrains.Domain.Tests.Offers;

/// <summary>
/// Publishing refuses impossible offers and categories, each problem with its path. The edits break
/// the default program's offers: [0] new-member-first-order, [1] win-back-coupon, [3]
/// win-back-double-points, [8] baby-formula-gift, [9] monday-fresh-food, [10] wednesday-household,
/// [11] member-day-double-points, [12] referral-coupon, [13] referral-20-off; categories [0] fresh
/// food, [1] household, [2] detergent.
/// </summary>
public sealed class OfferValidationTests
{
    /// <summary>The bonusPoints example of docs/program.md (the other examples are in the default program).</summary>
    private const string FreshBonusFromTheDocs =
        "offers+={'id':'fresh-200-bonus','kind':'bonusPoints','reason':'general','title':{'en':'July: 500 bonus points on 200 with fresh food','zh-CN':'七月含生鲜满200送500积分'},"
        + "'personalised':false,'stacking':'stackable','priority':10,'from':'2026-07-01','to':'2026-07-31','basket':{'minSpendFen':20000,'categories':['fresh food']},"
        + "'reward':{'points':500},'budget':{'unit':'points','total':10000000}}";

    [Theory]
    [InlineData("-offers")]
    [InlineData("-offers", "-categories")]
    [InlineData("offers=[]", "categories=[]")]
    [InlineData("offers[9].schedule.timeFrom='07:00'", "offers[9].schedule.timeTo='24:00'")]
    [InlineData("offers[9].scope.categories[0]='生鲜'", "categories[0].category='生鲜'")]
    [InlineData("offers[9].stacking='exclusive'", "offers[10].stacking='exclusive'", "offers[10].priority=31")]
    [InlineData("offers[0].limits.period='week'")]
    [InlineData("offers[8].reward={'buyQuantity':5,'freeQuantity':1}", "offers[8].budget.unit='discountFen'")]
    [InlineData("offers[9].target={'tiers':['gold','platinum'],'storeIds':['上海01'],'minDaysSinceEnrollment':0,'maxDaysSinceEnrollment':30}")]
    [InlineData(FreshBonusFromTheDocs)]
    public void Check_AllowedOfferVariation_IsValid(params string[] edits)
    {
        var check = ProgramValidator.Check(Edit(edits));

        Assert.Empty(check.Problems);
        Assert.NotNull(check.Program);
    }

    [Theory]
    [InlineData("offers[1].budget.total", "offers[1].budget.total=-1")]
    [InlineData("offers[1].budget.total", "offers[1].budget.total=0")]
    [InlineData("offers[1].budget.unit", "offers[1].budget.unit='points'")]
    [InlineData("offers[9].to", "offers[9].from='2026-05-01'", "offers[9].to='2026-04-30'")]
    [InlineData("offers[9].schedule.timeTo", "offers[9].schedule.timeFrom='18:00'", "offers[9].schedule.timeTo='09:00'")]
    [InlineData("offers[9].schedule.timeTo", "offers[9].schedule.timeFrom='18:00'")]
    [InlineData("offers[9].schedule.timeFrom", "offers[9].schedule.timeFrom='7pm'", "offers[9].schedule.timeTo='21:00'")]
    [InlineData("offers[11].schedule.daysOfMonth[0]", "offers[11].schedule.daysOfMonth[0]=32")]
    [InlineData("offers[11].schedule.daysOfMonth[1]", "offers[11].schedule.daysOfMonth=[10,10]")]
    [InlineData("offers[9].schedule.daysOfWeek[1]", "offers[9].schedule.daysOfWeek=['monday','monday']")]
    [InlineData("offers[9].scope.categories[0]", "offers[9].scope.categories[0]='fresh-food'")]
    [InlineData("offers[9].scope.categories[0]", "offers[9].scope.categories[0]='Fresh food'")]
    [InlineData("offers[9].basket.categories[0]", "offers[9].basket={'categories':['bakery']}")]
    [InlineData("offers[8].target.affinityCategories[0]", "offers[8].target.affinityCategories[0]='diapers'")]
    [InlineData("offers[10].priority", "offers[9].stacking='exclusive'", "offers[10].stacking='exclusive'")]
    [InlineData("offers[10].id", "offers[10].id='monday-fresh-food'")]
    [InlineData("offers[0].reward.steps[1].minSpendFen", "offers[0].reward.steps[1].minSpendFen=5000")]
    [InlineData("offers[0].reward.steps[1].offFen", "offers[0].reward.steps[1].offFen=2000")]
    [InlineData("offers[0].reward.steps[1].offFen", "offers[0].reward.steps[1].offFen=30000")]
    [InlineData("offers[0].reward.steps", "offers[0].reward.steps=[]")]
    [InlineData("offers[9].reward.percent", "offers[9].reward.percent=0")]
    [InlineData("offers[9].reward.percent", "offers[9].reward.percent=100.5")]
    [InlineData("offers[9].reward.percent", "offers[9].reward.percent=-10")]
    [InlineData("offers[9].reward.percent", "-offers[9].reward.percent")]
    [InlineData("offers[9].reward.multiplier", "offers[9].reward.multiplier=2")]
    [InlineData("offers[11].reward.multiplier", "offers[11].reward.multiplier=1")]
    [InlineData("offers[8].scope", "-offers[8].scope")]
    [InlineData("offers[8].reward.gift", "offers[8].reward.freeQuantity=1")]
    [InlineData("offers[9].target.segments", "offers[9].target={'segments':['new']}")]
    [InlineData("offers[0].target.lifecycle", "offers[0].personalised=false")]
    [InlineData("offers[3].target.segments[0]", "offers[3].target.segments=['sleepers']")]
    [InlineData("offers[3].target.excludeRiskFlags[0]", "offers[3].target.excludeRiskFlags[0]='fraud'")]
    [InlineData("offers[3].target.excludeRiskFlags[0]", "offers[3].target.riskFlags=['refund_abuse']")]
    [InlineData("offers[0].target.minDaysSinceEnrollment", "offers[0].target.minDaysSinceEnrollment=7")]
    [InlineData("offers[9].target.minDaysSinceEnrollment", "offers[9].target={'minDaysSinceEnrollment':5,'maxDaysSinceEnrollment':3}")]
    [InlineData("offers[9].target.storeIds[0]", "offers[9].target={'storeIds':['S-1 ']}")]
    [InlineData("offers[9].issueOn", "offers[9].issueOn={'event':'churnRiskRaised'}")]
    [InlineData("offers[12].issueOn.activity", "offers[12].issueOn.activity='invite'")]
    [InlineData("offers[12].issueOn.count", "offers[12].issueOn.count=0")]
    [InlineData("offers[1].issueOn.count", "offers[1].issueOn.count=3")]
    [InlineData("offers[12].wallet", "-offers[12]")]
    [InlineData("offers[12].wallet", "offers[12].wallet={'validDays':3}")]
    [InlineData("offers[13].wallet.validDays", "offers[13].wallet.validDays=0")]
    [InlineData("offers[9].limits.period", "offers[9].limits={'period':'day'}")]
    [InlineData("offers[9].limits.perBasket", "offers[9].limits={'perBasket':2}")]
    [InlineData("offers[0].limits.perMember", "offers[0].limits.perMember=0")]
    [InlineData("offers[0].validDaysAfterEnrollment", "offers[0].validDaysAfterEnrollment=0")]
    [InlineData("offers[0].priority", "offers[0].priority=-1")]
    [InlineData("offers[0].title.en", "offers[0].title.en=''")]
    [InlineData("offers[0].title['zh-CN']", "offers[0].title['zh-CN']=' 新人'")]
    [InlineData("categories[2].category", "categories[2].category='household'")]
    [InlineData("categories[2].category", "categories[2].category=' detergent'")]
    [InlineData("categories[0].affinity.minPurchases", "categories[0].affinity.minPurchases=9")]
    [InlineData("categories[1].replenish.minPurchases", "categories[1].replenish.minPurchases=1")]
    [InlineData("categories[1].replenish.remindWithinDays", "categories[1].replenish.remindWithinDays=-1")]
    [InlineData("categories[0].name['zh-CN']", "-categories[0].name['zh-CN']")]
    public void Check_ImpossibleOffer_ReportsOnlyThatPath(string path, params string[] edits)
    {
        var check = ProgramValidator.Check(Edit(edits));

        Assert.Null(check.Program);
        var problem = Assert.Single(check.Problems);
        Assert.Equal(path, problem.Path);
        Assert.StartsWith(path.Split('[')[0], problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Message.EndsWith('.') || problem.Message.EndsWith('?'), problem.Message);
    }

    [Theory]
    [InlineData("offers[0].kind", "offers[0].kind='cashback'")]
    [InlineData("offers[0].stacking", "offers[0].stacking='always'")]
    [InlineData("offers[0].reason", "offers[0].reason='Birthday'")]
    [InlineData("offers[9].schedule.daysOfWeek[0]", "offers[9].schedule.daysOfWeek[0]='mon'")]
    [InlineData("offers[0].target.lifecycle[0]", "offers[0].target.lifecycle[0]='sleeping'")]
    [InlineData("offers[1].budget.unit", "offers[1].budget.unit='yuan'")]
    [InlineData("offers[0].limits.period", "offers[0].limits.period='forever'")]
    [InlineData("offers[1].issueOn.event", "offers[1].issueOn.event='anniversary'")]
    [InlineData("offers[0].discount", "offers[0].discount=5")]
    [InlineData("offers[0].title", "-offers[0].title")]
    [InlineData("offers[0].personalised", "offers[0].personalised='yes'")]
    [InlineData("offers[9].from", "offers[9].from='2026-02-30'")]
    [InlineData("offers[0].title['zh-CN']", "offers[0].title['zh-CN']='新人\\n'")]
    public void Check_OfferStructuralMistake_ReportsOnlyThatPath(string path, params string[] edits)
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit(edits)).Problems);

        Assert.Equal(path, problem.Path);
    }

    [Fact]
    public void Check_CouponNamingNoTemplate_ListsTheCouponAndTheTemplateNobodyIssues()
    {
        var check = ProgramValidator.Check(Edit("offers[12].reward.couponOfferId='member-day-double-points'"));

        Assert.Equal(["offers[12].reward.couponOfferId", "offers[13].wallet"], check.Problems.Select(p => p.Path));
        Assert.Contains("not a coupon template", check.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("no member could ever hold one", check.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_SeveralImpossibleOffers_ListsEveryProblemWithItsPath()
    {
        var check = ProgramValidator.Check(Edit(
            "offers[1].budget.total=-5",
            "offers[9].reward.percent=150",
            "offers[10].scope.categories[0]='houshold'",
            "offers[11].schedule.timeFrom='22:00'",
            "offers[11].schedule.timeTo='08:00'",
            "offers[0].kind='cashback'"));

        Assert.Null(check.Program);
        Assert.Equal(
            ["offers[0].kind", "offers[10].scope.categories[0]", "offers[11].schedule.timeTo", "offers[1].budget.total", "offers[9].reward.percent"],
            check.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Check_ReasonForAnUndeclaredCategory_SaysNoRuleCanMatchIt()
    {
        var problem = Assert.Single(ProgramValidator.Check(Edit("offers[9].scope.categories[0]='fresh-food'")).Problems);

        Assert.Equal("offers[9].scope.categories[0] is \"fresh-food\", which is not a category in categories, so no rule can match it (is it misspelt?). Add it to categories or name a listed category.", problem.Message);
    }

    [Fact]
    public void Check_OfferBuiltInCodeWithNullsAndUndefinedValues_ReportsThemInsteadOfThrowing()
    {
        var program = DefaultProgram.Document;
        var offers = program.Offers!.ToList();
        offers[0] = offers[0] with { Id = null!, Reward = null! };
        offers[9] = offers[9] with { Kind = (OfferKind)42, Title = new LocalizedText { En = null!, ZhCn = "x" }, Schedule = new OfferSchedule { DaysOfWeek = [(DayOfWeek)9] } };
        offers[11] = offers[11] with { Limits = new OfferLimits { Period = (LimitPeriod)7, PerMember = 1 } };
        offers.Add(null!);

        var check = ProgramValidator.Check(program with { Offers = offers });

        Assert.Null(check.Program);
        Assert.Equal(
            ["offers[0].id", "offers[0].reward", "offers[11].limits.period", "offers[14]", "offers[9].kind", "offers[9].schedule.daysOfWeek[0]", "offers[9].title.en"],
            check.Problems.Select(p => p.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ProgramRules_DocumentWithoutOffers_HasNone()
    {
        var rules = new ProgramRules(1, DefaultProgram.Document with { Offers = null, Categories = null });

        Assert.Empty(rules.Document.Offers ?? []);
        var member = TestMember.Enroll(programs: new StaticProgramCatalog(rules.Document));
        var quote = member.Account.Quote(new QuoteCommand(Cmd.Store, 1_000, [new PurchaseLine("S", "grocery", 1, 1_000)], 0), TestMember.T0);
        Assert.Empty(quote.Offers!);
        Assert.Empty(quote.OfferDecisions!);
    }

    private static string Edit(params string[] edits) => ProgramEdits.Apply(DefaultProgram.Json, edits);
}
