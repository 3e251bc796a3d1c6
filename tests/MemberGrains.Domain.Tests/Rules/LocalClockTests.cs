using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests.Rules;

/// <summary>
/// The program's store-local calendar (LocalDate, LocalTime, StartOf) answers exactly what
/// <see cref="TimeZoneInfo"/> answers, in zones that stopped changing their offset (the fast path)
/// and in zones that still change it or did around the dates tried (the slow one).
/// </summary>
public sealed class LocalClockTests
{
    public static TheoryData<string> Zones => ["Asia/Shanghai", "Asia/Kolkata", "America/Sao_Paulo", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "UTC"];

    [Theory]
    [MemberData(nameof(Zones))]
    public void LocalTimeAndDate_EqualTimeZoneInfo_AtRandomInstants(string zoneId)
    {
        var rules = new ProgramRules(1, TestPrograms.Flat with { TimeZone = zoneId });
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var random = new Random(zoneId.GetHashCode(StringComparison.Ordinal));
        var from = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero).Ticks;
        var to = new DateTimeOffset(2060, 1, 1, 0, 0, 0, TimeSpan.Zero).Ticks;
        for (var i = 0; i < 20_000; i++)
        {
            var at = new DateTimeOffset(random.NextInt64(from, to), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(random.Next(-12, 13)));
            var expected = TimeZoneInfo.ConvertTime(at, zone).DateTime;
            Assert.Equal(expected, rules.LocalTime(at));
            Assert.Equal(DateOnly.FromDateTime(expected), rules.LocalDate(at));
        }
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void StartOf_IsLocalMidnightOrTheFirstValidQuarterHour_EveryDay(string zoneId)
    {
        var rules = new ProgramRules(1, TestPrograms.Flat with { TimeZone = zoneId });
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        for (var date = new DateOnly(1985, 1, 1); date < new DateOnly(2045, 1, 1); date = date.AddDays(1))
        {
            var local = date.ToDateTime(TimeOnly.MinValue);
            while (zone.IsInvalidTime(local))
            {
                local = local.AddMinutes(15);
            }

            var start = rules.StartOf(date);
            Assert.Equal(new DateTimeOffset(local, zone.GetUtcOffset(local)), start);
            Assert.Equal(date, rules.LocalDate(start));
        }
    }

    [Theory]
    [InlineData("Asia/Shanghai", true)]
    [InlineData("Asia/Kolkata", true)]
    [InlineData("America/Sao_Paulo", true)]
    [InlineData("UTC", true)]
    [InlineData("Europe/Berlin", false)]
    [InlineData("America/New_York", false)]
    [InlineData("Australia/Lord_Howe", false)]
    public void FastPath_OnlyForZonesWhoseOffsetNoLongerChanges(string zoneId, bool fixedTail)
    {
        // Asia/Shanghai last changed in 1991, Sao Paulo dropped DST in 2019; Berlin and Lord Howe still change twice a year.
        Assert.Equal(fixedTail, new ZoneClock(TimeZoneInfo.FindSystemTimeZoneById(zoneId)).HasFixedTail);
    }
}
