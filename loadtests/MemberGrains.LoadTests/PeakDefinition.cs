using System.Globalization;

namespace MemberGrains.LoadTests;

/// <summary>
/// The default peak: a 1,000-store chain at its busiest hour. The arithmetic is printed in the report.
/// </summary>
internal static class PeakDefinition
{
    public const int Stores = 1_000;

    public const int TillsPerStore = 10;

    /// <summary>Seconds between checkouts at one busy till.</summary>
    public const double SecondsPerCheckout = 20;

    /// <summary>Share of checkouts where a loyalty card (or app) is scanned.</summary>
    public const double MemberShare = 0.70;

    public const int ScreensPerStore = 4;

    /// <summary>Seconds between member views at one in-store screen at the peak.</summary>
    public const double SecondsPerScreenView = 4;

    /// <summary>All checkouts per second at the peak: stores × tills / seconds per checkout.</summary>
    public static double AllCheckoutsPerSecond => Stores * TillsPerStore / SecondsPerCheckout;

    /// <summary>Member checkouts per second: the ones the loyalty system sees.</summary>
    public static double CheckoutsPerSecond => AllCheckoutsPerSecond * MemberShare;

    /// <summary>Screen views (StoreScreen/GetMemberView) per second at the peak.</summary>
    public static double ScreenViewsPerSecond => Stores * ScreensPerStore / SecondsPerScreenView;

    /// <summary>The arithmetic, for the report and the README.</summary>
    public static string Explain() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Stores:N0} stores × {TillsPerStore} tills, one checkout every {SecondsPerCheckout:0} s per till at the peak = {AllCheckoutsPerSecond:N0} checkouts/s; "
        + $"{MemberShare:P0} of them scan a loyalty card = **{CheckoutsPerSecond:N0} member checkouts/s**. "
        + $"{Stores:N0} stores × {ScreensPerStore} smart screens, one member view every {SecondsPerScreenView:0} s per screen = **{ScreenViewsPerSecond:N0} screen views/s**.");
}
