using System.Text.Json;

namespace MemberGrains.Domain.Tests;

/// <summary>
/// <see cref="MemberAccount.ViewValidUntil"/>: a reader may cache a member's view per state version
/// until that instant, so the view must not change anywhere before it, and must be rebuilt at it.
/// </summary>
public sealed class ViewValidityTests
{
    private static readonly DateTimeOffset T0 = TestMember.T0;

    [Fact]
    public void ViewValidUntil_HoldLapsingWithinTheMinute_IsTheHoldsExpiry()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        var reservedAt = T0.AddSeconds(17);
        member.Account.Reserve(Cmd.Reserve("r-1", 150), reservedAt);
        var expiresAt = reservedAt.AddMinutes(10);
        var now = expiresAt.AddSeconds(-10); // 02:10:07, the hold lapses at 02:10:17

        var until = member.Account.ViewValidUntil(now);

        Assert.Equal(expiresAt, until);
        Assert.Single(member.Account.View(until.AddTicks(-1)).Holds);
        Assert.Empty(member.Account.View(until).Holds);
    }

    [Fact]
    public void ViewValidUntil_NothingDueWithinTheMinute_IsTheNextMinute()
    {
        var member = TestMember.Enroll(T0);
        member.Accrue("p-1", 10_000, T0);
        var now = T0.AddDays(3).AddSeconds(12.5);

        Assert.Equal(T0.AddDays(3).AddMinutes(1), member.Account.ViewValidUntil(now));
    }

    [Fact]
    public void View_AnywhereBeforeValidUntil_IsTheViewAtTheStart()
    {
        // A member with lots that expire, enter the expiring-soon window and become available,
        // holds that lapse and a daily-cap flag, sampled over two years at random instants.
        var member = TestMember.Enroll(T0);
        var random = new Random(20261203);
        var at = T0;
        for (var i = 0; i < 40; i++)
        {
            at = at.AddMinutes(random.Next(1, 60 * 24 * 20)).AddSeconds(random.Next(60));
            member.Accrue($"p-{i}", random.Next(1_000, 900_000), at);
            if (i % 3 == 0)
            {
                member.Account.Reserve(Cmd.Reserve($"r-{i}", 1, TimeSpan.FromSeconds(random.Next(30, 900))), at.AddSeconds(1));
            }
        }

        // Half the samples fall just before something the view depends on happens.
        var soon = TimeSpan.FromDays(member.Account.Rules.Document.Expiry.ExpiringSoonDays);
        var moments = member.State.Lots.SelectMany(l => new[] { l.AvailableAt, l.ExpiresAt, l.ExpiresAt - soon })
            .Concat(member.State.Holds.Values.Select(h => h.ExpiresAt))
            .ToList();
        var changesSeen = 0;
        for (var sample = 0; sample < 600; sample++)
        {
            var now = sample % 2 == 0
                ? T0.AddSeconds(random.NextDouble() * TimeSpan.FromDays(800).TotalSeconds)
                : moments[random.Next(moments.Count)].AddSeconds(-random.NextDouble() * 90);
            var until = member.Account.ViewValidUntil(now);
            Assert.True(until > now && until <= now.AddMinutes(1), $"{now:O} → {until:O}");
            var start = Shown(member.Account, now);
            var within = now + ((until - now) * random.NextDouble());
            Assert.Equal(start, Shown(member.Account, within));
            Assert.Equal(start, Shown(member.Account, until.AddTicks(-1)));
            if (Shown(member.Account, until) != start)
            {
                changesSeen++;
            }
        }

        // Not vacuous: some validity ends were real changes of the view.
        Assert.True(changesSeen > 0);
    }

    /// <summary>The view without its as-of instant (which is the instant asked for).</summary>
    private static string Shown(MemberAccount account, DateTimeOffset now) =>
        JsonSerializer.Serialize(account.View(now) with { AsOf = default });
}
