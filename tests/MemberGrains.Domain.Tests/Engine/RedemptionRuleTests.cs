using MemberGrains.Domain.Rules;
using static MemberGrains.Domain.Tests.Engine.Scenario;

namespace MemberGrains.Domain.Tests.Engine;

/// <summary>The basket share and the risk rules that send a redemption for review or decline it.</summary>
public sealed class RedemptionRuleTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    /// <summary>Enrolment (100) and 100 CNY bought at T0 (1,200): 1,300 points.</summary>
    private static TestMember MemberWith1300Points()
    {
        var member = Member();
        member.Buy("p-1", 10_000, T0);
        return member;
    }

    [Fact]
    public void Reserve_BeyondTheBasketShare_IsInvalidArgumentOnPoints()
    {
        var member = MemberWith1300Points();

        // Points may pay half of a 20 CNY basket: 10 CNY, 1,000 points.
        var error = member.AssertRejected(ErrorKind.InvalidArgument, "points", a => a.Reserve(Reserve("r-1", 1_100, 2_000), T0.AddMinutes(1)));

        Assert.Contains("at most 1000 points", error.Message, StringComparison.Ordinal);
    }
}
