namespace MemberGrains.LoadTests.Workload;

/// <summary>Operation names as they appear in tables, the chart and result names.</summary>
internal static class Ops
{
    public const string Ping = "Ping";

    /// <summary>Diagnostics/PingMember: the empty call plus one call of a member's grain that does no work.</summary>
    public const string PingMember = "PingMember";
    public const string GetMember = "GetMember";
    public const string ScreenView = "GetMemberView";
    public const string Quote = "QuoteCheckout";
    public const string Accrue = "Accrue";
    public const string Reserve = "Reserve";
    public const string Capture = "Capture";
    public const string Release = "Release";
    public const string Refund = "Refund";
    public const string Activity = "RecordActivity";

    /// <summary>A screen watching a member: from opening StoreScreen/WatchMember to its first view.</summary>
    public const string WatchFirstView = "WatchMember first view";

    /// <summary>A screen watching a member: from the till's OK answer to an Accrue until the stream shows it.</summary>
    public const string WatchUpdate = "watch update";

    /// <summary>The operations of the peak-day profile, in display order.</summary>
    public static readonly string[] Profile = [ScreenView, Quote, Accrue, Reserve, Capture, Release, Refund, Activity];
}
