using System.Diagnostics;
using MemberGrains.Domain.Rules;

namespace MemberGrains.Domain.Tests.Replay;

/// <summary>Parses, maps and replays the UCI Online Retail file once for every test of the class.</summary>
public sealed class OnlineRetailReplayFixture
{
    /// <summary>The zone the file's times are in, and the program is evaluated in.</summary>
    public const string Zone = "Europe/London";

    /// <summary>Longer than the 373 days the file spans, so every matched purchase can still be refunded.</summary>
    public static readonly TimeSpan PurchaseRetention = TimeSpan.FromDays(400);

    public OnlineRetailReplayFixture()
    {
        var watch = Stopwatch.StartNew();
        Lines = OnlineRetailFile.Read(OnlineRetailFile.Locate());
        ParseTime = watch.Elapsed;

        watch.Restart();
        Plan = ReplayMapper.Map(Lines);
        MapTime = watch.Elapsed;

        Catalog = new StaticProgramCatalog(DefaultProgram.Document with { TimeZone = Zone });
        Limits = AccountLimits.Default with { PurchaseRetention = PurchaseRetention };
        AsOfDate = DateOnly.FromDateTime(Lines.Max(l => l.InvoiceDate)).AddDays(1);
        AsOf = EngineReplay.Instant(AsOfDate.ToDateTime(TimeOnly.MinValue), Catalog.Current.TimeZone);

        watch.Restart();
        Result = EngineReplay.Run(Plan, Catalog, Limits, AsOf);
        ReplayTime = watch.Elapsed;

        watch.Restart();
        Expected = IndependentCounters.Compute(Lines, Plan.Refunds, AsOfDate, Catalog.Current.Document.Rfm.WindowMonths);
        ExpectTime = watch.Elapsed;
    }

    internal List<RetailLine> Lines { get; }

    internal ReplayPlan Plan { get; }

    internal StaticProgramCatalog Catalog { get; }

    internal AccountLimits Limits { get; }

    /// <summary>The UK day after the file's last invoice: the day the counters are read on.</summary>
    internal DateOnly AsOfDate { get; }

    /// <summary>Midnight starting <see cref="AsOfDate"/> in London.</summary>
    internal DateTimeOffset AsOf { get; }

    internal ReplayResult Result { get; }

    internal Dictionary<string, ExpectedMember> Expected { get; }

    internal TimeSpan ParseTime { get; }

    internal TimeSpan MapTime { get; }

    internal TimeSpan ReplayTime { get; }

    internal TimeSpan ExpectTime { get; }
}
